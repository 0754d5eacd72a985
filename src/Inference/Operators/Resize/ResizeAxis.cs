namespace ConvService.Inference.Operators.Resize;

/// <summary>
/// One axis of a resize as a table: for every output index, <see cref="Taps"/> input indices (already clamped to the
/// axis) and their weights, and whether the position falls outside the crop (tf_crop_and_resize), where the output
/// takes the extrapolation value. The arithmetic follows ONNX Runtime's in float32, so nearest picks the same
/// sample on ties.
/// </summary>
public sealed class ResizeAxis
{
    private ResizeAxis(int inSize, int outSize, int taps)
    {
        InSize = inSize;
        OutSize = outSize;
        Taps = taps;
        Indices = new int[outSize * taps];
        Weights = new float[outSize * taps];
        Outside = new bool[outSize];
    }

    public int InSize { get; }

    public int OutSize { get; }

    public int Taps { get; }

    public int[] Indices { get; }

    public float[] Weights { get; }

    public bool[] Outside { get; }

    public bool AnyOutside => Array.IndexOf(Outside, true) >= 0;

    /// <summary>Every output index reads exactly its own input index.</summary>
    public bool IsIdentity
    {
        get
        {
            if (InSize != OutSize || AnyOutside)
            {
                return false;
            }

            for (var o = 0; o < OutSize; o++)
            {
                for (var t = 0; t < Taps; t++)
                {
                    var w = Weights[o * Taps + t];
                    if (w != 0f && (Indices[o * Taps + t] != o || w != 1f))
                    {
                        return false;
                    }
                }
            }

            return true;
        }
    }

    public static ResizeAxis Create(in ResizeAxisOptions options, int inSize, int outSize, float scale, float roiStart = 0f, float roiEnd = 1f)
    {
        if (options.Antialias && options.Mode != ResizeMode.Nearest && scale < 1f)
        {
            return Antialiased(options, inSize, outSize, scale, roiStart, roiEnd);
        }

        var taps = options.Mode switch { ResizeMode.Nearest => 1, ResizeMode.Linear => 2, _ => 4 };
        var axis = new ResizeAxis(inSize, outSize, taps);
        var crop = options.Transform == CoordinateTransform.TfCropAndResize;
        var lengthResized = options.LengthFromScale ? scale * inSize : outSize;
        for (var o = 0; o < outSize; o++)
        {
            var x = Original(options.Transform, o, scale, outSize, lengthResized, inSize, roiStart, roiEnd);
            axis.Outside[o] = crop && (x < 0f || x > inSize - 1);
            var at = o * taps;
            switch (options.Mode)
            {
                case ResizeMode.Nearest:
                    axis.Indices[at] = Math.Clamp(Nearest(options.Rounding, x, scale < 1f), 0, inSize - 1);
                    axis.Weights[at] = 1f;
                    break;
                case ResizeMode.Linear:
                    var clamped = Math.Max(0f, Math.Min(x, inSize - 1));
                    var first = Math.Min((int)clamped, inSize - 1);
                    var second = Math.Min(first + 1, inSize - 1);
                    axis.Indices[at] = first;
                    axis.Indices[at + 1] = second;
                    if (first == second)
                    {
                        axis.Weights[at] = 0.5f;
                        axis.Weights[at + 1] = 0.5f;
                    }
                    else
                    {
                        axis.Weights[at] = MathF.Abs(clamped - second);
                        axis.Weights[at + 1] = MathF.Abs(clamped - first);
                    }

                    break;
                default:
                    Cubic(axis, at, x, options.CubicCoefficient, options.ExcludeOutside);
                    break;
            }
        }

        return axis;
    }

    /// <summary>
    /// The input coordinate of output index <paramref name="resized"/>, ONNX's coordinate_transformation_mode.
    /// <paramref name="outSize"/> is the output length, <paramref name="lengthResized"/> the length the formulas
    /// divide by (see <see cref="ResizeAxisOptions.LengthFromScale"/>).
    /// </summary>
    public static float Original(CoordinateTransform transform, int resized, float scale, int outSize, float lengthResized, int lengthOriginal, float roiStart, float roiEnd)
    {
        float x = resized, outLength = lengthResized, inLength = lengthOriginal;
        switch (transform)
        {
            case CoordinateTransform.HalfPixel:
                return ((x + 0.5f) / scale) - 0.5f;
            case CoordinateTransform.HalfPixelSymmetric:
                var adjustment = outSize / (scale * inLength);
                var center = inLength / 2;
                return (center * (1 - adjustment)) + ((x + 0.5f) / scale) - 0.5f;
            case CoordinateTransform.PytorchHalfPixel:
                return lengthResized > 1 ? ((x + 0.5f) / scale) - 0.5f : 0f;
            case CoordinateTransform.AlignCorners:
                return lengthResized == 1 ? 0f : x * (inLength - 1) / (outLength - 1);
            case CoordinateTransform.Asymmetric:
                return x / scale;
            case CoordinateTransform.TfHalfPixelForNn:
                return (x + 0.5f) / scale;
            default:
                return lengthResized > 1
                    ? (roiStart * (inLength - 1)) + (x * (roiEnd - roiStart) * (inLength - 1) / (outLength - 1))
                    : 0.5f * (roiStart + roiEnd) * (inLength - 1);
        }
    }

    /// <summary>
    /// A shrinking axis with antialiasing: the linear (tent) or cubic filter stretched by 1 / scale, so each output
    /// averages every input sample under the wider footprint, and the weights normalised to sum to 1. Samples past
    /// an edge repeat the edge sample, or with exclude_outside drop out before the normalisation. Every output gets
    /// the same number of taps, the widest window; taps past its own footprint have weight 0. The arithmetic is
    /// ONNX Runtime's, in float32.
    /// </summary>
    private static ResizeAxis Antialiased(in ResizeAxisOptions options, int inSize, int outSize, float scale, float roiStart, float roiEnd)
    {
        var support = (options.Mode == ResizeMode.Linear ? 1f : 2f) / scale;
        var window = ((int)MathF.Ceiling(support) * 2) + 1;
        var axis = new ResizeAxis(inSize, outSize, window);
        var crop = options.Transform == CoordinateTransform.TfCropAndResize;
        var lengthResized = options.LengthFromScale ? scale * inSize : outSize;
        var weights = new float[window];
        for (var o = 0; o < outSize; o++)
        {
            var x = Original(options.Transform, o, scale, outSize, lengthResized, inSize, roiStart, roiEnd);
            axis.Outside[o] = crop && (x < 0f || x > inSize - 1);
            var center = x + 0.5f;
            var first = (long)MathF.Floor(center - support + 0.5f);
            var count = (int)Math.Clamp((long)MathF.Floor(center + support + 0.5f) - first, 0, window);
            var total = 0f;
            for (var t = 0; t < count; t++)
            {
                var sample = first + t;
                var inside = sample >= 0 && sample < inSize;
                weights[t] = options.ExcludeOutside && !inside ? 0f : Filter(options, (sample - center + 0.5f) * scale);
                total += weights[t];
            }

            var normaliser = total == 0f ? 1f : 1f / total;
            var at = o * window;
            for (var t = 0; t < window; t++)
            {
                var sample = first + Math.Min(t, Math.Max(count - 1, 0));
                axis.Indices[at + t] = (int)Math.Clamp(sample, 0, inSize - 1);
                axis.Weights[at + t] = t < count ? weights[t] * normaliser : 0f;
            }
        }

        return axis;
    }

    /// <summary>The unstretched filter at distance x: the tent for linear, Keys' cubic with coefficient a for cubic.</summary>
    private static float Filter(in ResizeAxisOptions options, float x)
    {
        x = MathF.Abs(x);
        if (options.Mode == ResizeMode.Linear)
        {
            return x < 1f ? 1f - x : 0f;
        }

        var a = options.CubicCoefficient;
        return x < 1f ? ((((a + 2f) * x) - (a + 3f)) * x * x) + 1f
            : x < 2f ? ((((x - 5f) * x) + 8f) * x - 4f) * a
            : 0f;
    }

    private static int Nearest(NearestRounding rounding, float x, bool downsampling) => rounding switch
    {
        NearestRounding.RoundPreferFloor => x == (long)x + 0.5f ? (int)MathF.Floor(x) : (int)MathF.Round(x, MidpointRounding.AwayFromZero),
        NearestRounding.RoundPreferCeil => (int)MathF.Round(x, MidpointRounding.AwayFromZero),
        NearestRounding.Floor => (int)MathF.Floor(x),
        NearestRounding.Ceil => (int)MathF.Ceiling(x),
        _ => downsampling ? (int)MathF.Ceiling(x) : (int)x,
    };

    /// <summary>Keys' cubic convolution with coefficient a over the four samples around x; edge samples repeat, or drop out and the rest renormalise.</summary>
    private static void Cubic(ResizeAxis axis, int at, float x, float a, bool excludeOutside)
    {
        var floor = MathF.Floor(x);
        var s = MathF.Abs(x - floor);
        var baseIndex = (int)floor - 1;
        Span<float> c =
        [
            ((((a * (s + 1)) - (5 * a)) * (s + 1)) + (8 * a)) * (s + 1) - (4 * a),
            ((((a + 2) * s) - (a + 3)) * s * s) + 1,
            ((((a + 2) * (1 - s)) - (a + 3)) * (1 - s) * (1 - s)) + 1,
            ((((a * (2 - s)) - (5 * a)) * (2 - s)) + (8 * a)) * (2 - s) - (4 * a),
        ];
        var sum = 0f;
        for (var t = 0; t < 4; t++)
        {
            var index = baseIndex + t;
            var inside = index >= 0 && index < axis.InSize;
            if (excludeOutside && !inside)
            {
                c[t] = 0f;
            }

            sum += c[t];
            axis.Indices[at + t] = Math.Clamp(index, 0, axis.InSize - 1);
        }

        for (var t = 0; t < 4; t++)
        {
            axis.Weights[at + t] = excludeOutside && sum != 0f ? c[t] / sum : c[t];
        }
    }
}
