using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Resize;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>
/// Resize (opsets 10, 11, 13, 18, 19) and Upsample (7, 9) with each version's inputs and defaults: Upsample and
/// Resize-10 sample asymmetrically and truncate; Resize-11 adds roi, sizes and the coordinate modes; Resize-18
/// adds antialias, axes and keep_aspect_ratio_policy. Scales, sizes and roi must be constants.
/// </summary>
internal static class ResizePlanner
{
    public static void Plan(NodeContext context)
    {
        var x = context.Shape(0);
        var rank = x.Length;
        if (rank == 0)
        {
            throw context.Fail("a scalar cannot be resized");
        }

        var a = context.Attributes;
        var upsample = context.Node.OpType == "Upsample";
        var legacy = upsample || context.Opset < 11;
        var mode = a.String("mode", "nearest") switch
        {
            "nearest" => ResizeMode.Nearest,
            "linear" or "bilinear" => ResizeMode.Linear,
            "cubic" when !legacy => ResizeMode.Cubic,
            var other => throw context.Fail($"mode '{other}' is not one of nearest, linear{(legacy ? string.Empty : ", cubic")}"),
        };
        var options = legacy
            ? new ResizeAxisOptions(mode, CoordinateTransform.Asymmetric, NearestRounding.Simple)
            : new ResizeAxisOptions(
                mode,
                Transform(context, a.String("coordinate_transformation_mode", "half_pixel")),
                Rounding(context, a.String("nearest_mode", "round_prefer_floor")),
                a.Float("cubic_coeff_a", -0.75f),
                a.Int("exclude_outside", 0) != 0,
                Antialias: a.Int("antialias", 0) != 0);

        var axes = Enumerable.Range(0, rank).ToArray();
        if (!legacy && a.Ints("axes") is { } axesAttribute)
        {
            axes = axesAttribute.Select(v => context.Axis(v, rank)).ToArray();
            if (axes.Distinct().Count() != axes.Length)
            {
                throw context.Fail("axes repeat");
            }
        }

        var (outShape, scales) = legacy ? LegacyScales(context, x, upsample) : ScalesOrSizes(context, x, axes);
        options = options with { LengthFromScale = !legacy && !(context.Has(3) && context.RequireConstant(3, "the sizes").Length > 0) };
        var roi = new float[2 * rank];
        for (var d = 0; d < rank; d++)
        {
            roi[rank + d] = 1f;
        }

        if (options.Transform == CoordinateTransform.TfCropAndResize && context.Has(1))
        {
            var given = context.RequireConstant(1, "the roi").AsFloats();
            if (given.Length != 2 * axes.Length)
            {
                throw context.Fail($"the roi has {given.Length} values for {axes.Length} axes (expected starts then ends)");
            }

            for (var i = 0; i < axes.Length; i++)
            {
                roi[axes[i]] = given[i];
                roi[rank + axes[i]] = given[axes.Length + i];
            }
        }

        var tables = new ResizeAxis[rank];
        for (var d = 0; d < rank; d++)
        {
            if (outShape[d] < 0 || (outShape[d] == 0 && x[d] > 0))
            {
                throw context.Fail($"axis {d} of size {x[d]} would resize to {outShape[d]}");
            }

            // As ONNX Runtime: an axis at scale 1 is copied as it is in nearest mode, and so are the leading axes
            // (batch, channels) of linear and cubic, which interpolate only the last two.
            var copied = scales[d] == 1f && outShape[d] == x[d] && (mode == ResizeMode.Nearest || d < rank - 2);
            tables[d] = copied || x[d] == 0
                ? ResizeAxis.Create(new ResizeAxisOptions(ResizeMode.Nearest, CoordinateTransform.Asymmetric, NearestRounding.Floor), Math.Max(1, x[d]), outShape[d], 1f)
                : ResizeAxis.Create(options, x[d], outShape[d], scales[d], roi[d], roi[rank + d]);
        }

        var input = context.Operand(0);
        var output = context.Output(0, outShape);
        var extrapolation = a.Float("extrapolation_value", 0f);
        var outerChanges = tables.Take(Math.Max(0, rank - 2)).Any(t => !t.IsIdentity);
        ResizeKernel? kernel = null;
        var planes = TensorShape.Product(x, 0, Math.Max(0, rank - 2));
        if (!outerChanges && TensorShape.Elements(x) > 0)
        {
            var height = rank >= 2 ? tables[rank - 2] : ResizeAxis.Create(options with { Mode = ResizeMode.Nearest }, 1, 1, 1f);
            kernel = new ResizeKernel(height, tables[rank - 1]);
        }

        context.AddStep(new ResizeStep(tables, kernel, planes, input, output, extrapolation, context.Options.Simd));
    }

    private static (int[] Shape, float[] Scales) LegacyScales(NodeContext context, int[] x, bool upsample)
    {
        var scales = upsample && context.Opset < 9
            ? context.Attributes.Floats("scales") ?? throw context.Fail("no scales attribute")
            : context.RequireConstant(1, "the scales").AsFloats();
        if (scales.Length != x.Length || scales.Any(s => !(s > 0f)))
        {
            throw context.Fail($"scales [{string.Join(", ", scales)}] must be {x.Length} positive numbers");
        }

        return (x.Select((d, i) => (int)(d * scales[i])).ToArray(), scales);
    }

    private static (int[] Shape, float[] Scales) ScalesOrSizes(NodeContext context, int[] x, int[] axes)
    {
        var rank = x.Length;
        var shape = (int[])x.Clone();
        var scales = Enumerable.Repeat(1f, rank).ToArray();
        var givenScales = context.Has(2) ? context.RequireConstant(2, "the scales").AsFloats() : [];
        var givenSizes = context.Has(3) ? context.RequireConstant(3, "the sizes").AsIntegers() : [];
        if ((givenScales.Length == 0) == (givenSizes.Length == 0))
        {
            throw context.Fail("exactly one of scales and sizes must be given");
        }

        if (givenScales.Length > 0)
        {
            if (givenScales.Length != axes.Length || givenScales.Any(s => !(s > 0f)))
            {
                throw context.Fail($"scales [{string.Join(", ", givenScales)}] must be {axes.Length} positive numbers");
            }

            for (var i = 0; i < axes.Length; i++)
            {
                scales[axes[i]] = givenScales[i];
                shape[axes[i]] = (int)(givenScales[i] * x[axes[i]]);
            }

            return (shape, scales);
        }

        if (givenSizes.Length != axes.Length || givenSizes.Any(s => s < 0 || s > int.MaxValue))
        {
            throw context.Fail($"sizes [{string.Join(", ", givenSizes)}] must be {axes.Length} non-negative numbers");
        }

        var policy = context.Attributes.String("keep_aspect_ratio_policy", "stretch");
        if (policy == "stretch")
        {
            for (var i = 0; i < axes.Length; i++)
            {
                shape[axes[i]] = (int)givenSizes[i];
                scales[axes[i]] = x[axes[i]] == 0 ? 1f : (float)givenSizes[i] / x[axes[i]];
            }

            return (shape, scales);
        }

        var ratios = axes.Select((axis, i) => (float)givenSizes[i] / x[axis]).ToArray();
        var scale = policy switch
        {
            "not_larger" => ratios.Min(),
            "not_smaller" => ratios.Max(),
            _ => throw context.Fail($"keep_aspect_ratio_policy '{policy}' is not one of stretch, not_larger, not_smaller"),
        };
        foreach (var axis in axes)
        {
            scales[axis] = scale;
            shape[axis] = (int)MathF.Floor((scale * x[axis]) + 0.5f);
        }

        return (shape, scales);
    }

    private static CoordinateTransform Transform(NodeContext context, string name) => name switch
    {
        "half_pixel" => CoordinateTransform.HalfPixel,
        "half_pixel_symmetric" => CoordinateTransform.HalfPixelSymmetric,
        "pytorch_half_pixel" => CoordinateTransform.PytorchHalfPixel,
        "align_corners" => CoordinateTransform.AlignCorners,
        "asymmetric" => CoordinateTransform.Asymmetric,
        "tf_half_pixel_for_nn" => CoordinateTransform.TfHalfPixelForNn,
        "tf_crop_and_resize" => CoordinateTransform.TfCropAndResize,
        _ => throw context.Fail($"coordinate_transformation_mode '{name}' is not supported"),
    };

    private static NearestRounding Rounding(NodeContext context, string name) => name switch
    {
        "round_prefer_floor" => NearestRounding.RoundPreferFloor,
        "round_prefer_ceil" => NearestRounding.RoundPreferCeil,
        "floor" => NearestRounding.Floor,
        "ceil" => NearestRounding.Ceil,
        _ => throw context.Fail($"nearest_mode '{name}' is not supported"),
    };
}
