using System.Collections.Concurrent;
using ConvService.Inference.Engine;
using ConvService.Inference.Errors;
using ConvService.Inference.Filters;
using ConvService.Inference.Serving.Descriptors;

namespace ConvService.Inference.Serving.Preprocessing;

/// <summary>
/// Turns a decoded upload (planes of 0..255: gray, RGB or RGBA) into one image of the model's input tensor, as the
/// model's descriptor says. Thread-safe; the optional preprocessing graph runs on pooled sessions. A descriptor
/// size of 0 (a model with open image dimensions and resize "none") keeps each upload's own size.
/// </summary>
public sealed class ImagePreprocessor
{
    private readonly PreprocessingDescriptor p;
    private readonly int channels;
    private readonly int height;
    private readonly int width;
    private readonly CompiledModel? graph;
    private readonly ConcurrentBag<ModelSession> graphSessions = [];

    // Tensors handed back once the executor has copied them in: a fresh one per request is a large-object array
    // whose pages the kernel must fault in and clear each time, which cost more than filling it.
    private readonly ConcurrentBag<float[]> spareTensors = [];

    public ImagePreprocessor(ModelDescriptor descriptor, CompiledModel? graph = null)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        p = descriptor.Preprocessing;
        channels = descriptor.Input.Channels;
        height = descriptor.Input.Height;
        width = descriptor.Input.Width;
        this.graph = graph;
    }

    public int TensorLength => channels * height * width;

    /// <summary>Most tensors kept for reuse: one per request that can be in preprocessing or copying at once.</summary>
    private static int SpareLimit => 2 * Environment.ProcessorCount;

    /// <summary>
    /// Hands back a tensor from <see cref="PrepareImage"/> that nothing reads any more (the executor copies its
    /// inputs before it answers), so the next request fills it instead of a fresh array. Optional.
    /// </summary>
    public void Return(float[] tensor)
    {
        if (tensor is not null && tensor.Length == TensorLength && TensorLength > 0 && spareTensors.Count < SpareLimit)
        {
            spareTensors.Add(tensor);
        }
    }

    public float[] Prepare(FloatImage image) => PrepareImage(image).Tensor;

    /// <summary>
    /// As <see cref="PrepareImage(FloatImage)"/> for planes held elsewhere (a pooled buffer, channel after channel):
    /// read in place when they are the model's channels already, else copied for the general path.
    /// </summary>
    public PreparedImage PrepareImage(ReadOnlySpan<float> planes, int imageWidth, int imageHeight, int imageChannels)
    {
        if (height > 0 && width > 0 && ReadsPlanesAsTheyAre(imageChannels, imageWidth, imageHeight))
        {
            return Resample(planes[..(imageChannels * imageWidth * imageHeight)], imageWidth, imageHeight);
        }

        return PrepareImage(new FloatImage(imageWidth, imageHeight, imageChannels, planes[..(imageChannels * imageWidth * imageHeight)].ToArray()));
    }

    public PreparedImage PrepareImage(FloatImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var keepSize = height <= 0 || width <= 0;
        int outHeight = keepSize ? image.Height : height, outWidth = keepSize ? image.Width : width;
        if (!keepSize && ReadsPlanesAsTheyAre(image.Channels, image.Width, image.Height))
        {
            return Resample(image.Data, image.Width, image.Height);
        }

        var planes = ToChannels(image);
        var invert = p.Invert == InvertModes.Always
            || (p.Invert == InvertModes.Auto && DigitFitter.BorderMedian(planes[0], image.Width, image.Height) > 127.5f);
        if (invert)
        {
            foreach (var plane in planes)
            {
                for (var i = 0; i < plane.Length; i++)
                {
                    plane[i] = 255f - plane[i];
                }
            }
        }

        var planeSize = outHeight * outWidth;
        var tensor = keepSize ? new float[channels * planeSize] : RentTensor();
        for (var c = 0; c < channels; c++)
        {
            var sized = keepSize ? planes[c] : Resize(planes[c], image.Width, image.Height);
            Normalise(sized, tensor.AsSpan(TargetChannel(c) * planeSize, planeSize), c);
        }

        return new PreparedImage(graph is null ? tensor : RunGraph(tensor), channels, outHeight, outWidth);
    }

    /// <summary>A tensor of <see cref="TensorLength"/> whose every value the caller writes: a spare one, else a new one.</summary>
    private float[] RentTensor() =>
        spareTensors.TryTake(out var tensor) ? tensor : GC.AllocateUninitializedArray<float>(TensorLength);

    /// <summary>
    /// Channel <paramref name="c"/> as (x * Scale - mean) / std into <paramref name="output"/>, which may be the
    /// source itself. Scale 1, mean 0 and std 1 leave every value as it is (exactly), so then it is a copy or nothing.
    /// </summary>
    private void Normalise(ReadOnlySpan<float> source, Span<float> output, int c)
    {
        float mean = p.Mean.Count == 1 ? p.Mean[0] : p.Mean[c], std = p.Std.Count == 1 ? p.Std[0] : p.Std[c];
        if (p.Scale == 1f && mean == 0f && std == 1f)
        {
            if (!source.Overlaps(output))
            {
                source.CopyTo(output);
            }

            return;
        }

        for (var i = 0; i < output.Length; i++)
        {
            output[i] = (source[i] * p.Scale - mean) / std;
        }
    }

    /// <summary>Where channel <paramref name="c"/> goes in the tensor: BGR models take the channels reversed.</summary>
    internal int TargetChannel(int c) => p.ChannelOrder == "BGR" && channels == 3 ? 2 - c : c;

    /// <summary>
    /// The upload's planes are the model's channels already (no alpha, no gray conversion, no inversion) and a
    /// resampling resize applies: they are read where they are and resampled straight into the tensor, without the
    /// copies of the general path (each a fresh large array at photo sizes). The arithmetic is the general path's.
    /// </summary>
    private bool ReadsPlanesAsTheyAre(int imageChannels, int imageWidth, int imageHeight) =>
        imageChannels == channels && (channels == 1 || !p.Grayscale) && p.Invert == InvertModes.Never
        && (p.Resize == ResizeModes.ShorterSide || (p.Resize != ResizeModes.FitDigit && p.Resize != ResizeModes.None && (imageWidth != width || imageHeight != height)));

    private PreparedImage Resample(ReadOnlySpan<float> planes, int imageWidth, int imageHeight)
    {
        var imagePlane = imageWidth * imageHeight;
        var planeSize = height * width;
        var (left, top, regionWidth, regionHeight) = Region(imageWidth, imageHeight);
        var tensor = RentTensor();
        for (var c = 0; c < channels; c++)
        {
            var output = tensor.AsSpan(TargetChannel(c) * planeSize, planeSize);
            Resampler.Resize(planes.Slice(c * imagePlane, imagePlane), imageWidth, left, top, regionWidth, regionHeight, width, height, output);
            Normalise(output, output, c);
        }

        return Finish(tensor);
    }

    /// <summary>
    /// A resampler for an 8-bit RGB, opaque RGBA or gray image of this size handed over a row at a time, or null when this
    /// model's preprocessing does more than resample and normalise colour planes (then decode to planes and call
    /// <see cref="PrepareImage(ReadOnlySpan{float}, int, int, int)"/>). Its tensor is the one that would give.
    /// </summary>
    public RowResampler? BeginRows(int imageWidth, int imageHeight)
    {
        if (height <= 0 || width <= 0 || channels != 3 || !ReadsPlanesAsTheyAre(3, imageWidth, imageHeight))
        {
            return null;
        }

        var (left, top, regionWidth, regionHeight) = Region(imageWidth, imageHeight);
        return new RowResampler(this, imageWidth, imageHeight, Resampler.Uniform(Resampler.Weights(left, regionWidth, width, imageWidth), imageWidth), Resampler.Weights(top, regionHeight, height, imageHeight), RentTensor());
    }

    /// <summary>A tensor a <see cref="RowResampler"/> resampled into: normalised, then through the graph.</summary>
    internal PreparedImage FinishResampled(float[] tensor)
    {
        var planeSize = height * width;
        for (var c = 0; c < channels; c++)
        {
            var output = tensor.AsSpan(TargetChannel(c) * planeSize, planeSize);
            Normalise(output, output, c);
        }

        return Finish(tensor);
    }

    private PreparedImage Finish(float[] tensor) => new(graph is null ? tensor : RunGraph(tensor), channels, height, width);

    /// <summary>The part of the image the resize reads (left, top, width, height): the centred region a shorter-side resize keeps after its crop, else all of it.</summary>
    private (float Left, float Top, float Width, float Height) Region(int imageWidth, int imageHeight)
    {
        if (p.Resize != ResizeModes.ShorterSide)
        {
            return (0, 0, imageWidth, imageHeight);
        }

        var shorter = p.ResizeTo ?? Math.Min(width, height);
        var scale = (float)shorter / Math.Min(imageWidth, imageHeight);
        float regionWidth = width / scale, regionHeight = height / scale;
        return ((imageWidth - regionWidth) / 2, (imageHeight - regionHeight) / 2, regionWidth, regionHeight);
    }

    private float[] Resize(float[] plane, int imageWidth, int imageHeight)
    {
        switch (p.Resize)
        {
            case ResizeModes.FitDigit:
                return DigitFitter.Fit(plane, imageWidth, imageHeight, width, height);
            case ResizeModes.ShorterSide:
                {
                    // One resampling pass straight from the source region that survives the centre crop.
                    var (left, top, regionWidth, regionHeight) = Region(imageWidth, imageHeight);
                    return Resampler.Resize(plane, imageWidth, left, top, regionWidth, regionHeight, width, height);
                }

            case ResizeModes.None:
                if (imageWidth != width || imageHeight != height)
                {
                    throw ConvServiceException.DoesNotFit(
                        "Wrong image size",
                        $"The image is {imageWidth}x{imageHeight} but this model takes exactly {width}x{height} (width x height) and does not resize. Resize the image first.");
                }

                return plane;
            default:
                return imageWidth == width && imageHeight == height
                    ? plane
                    : Resampler.Resize(plane, imageWidth, 0, 0, imageWidth, imageHeight, width, height);
        }
    }

    /// <summary>The planes the model wants: luma for gray models, RGB otherwise; translucent pixels are laid on white paper.</summary>
    private float[][] ToChannels(FloatImage image)
    {
        var size = image.PlaneSize;
        var source = image.Channels switch
        {
            1 => [image.Plane(0).ToArray()],
            _ => new[] { image.Plane(0).ToArray(), image.Plane(1).ToArray(), image.Plane(2).ToArray() },
        };
        if (image.Channels == 4)
        {
            var alpha = image.Plane(3);
            foreach (var plane in source)
            {
                for (var i = 0; i < size; i++)
                {
                    var a = alpha[i] / 255f;
                    plane[i] = plane[i] * a + 255f * (1 - a);
                }
            }
        }

        if (channels == 1 || p.Grayscale)
        {
            var luma = source.Length == 1 ? source[0] : Luma(source, size);
            return channels == 1 ? [luma] : [luma, (float[])luma.Clone(), (float[])luma.Clone()];
        }

        return source.Length == 1 ? [source[0], (float[])source[0].Clone(), (float[])source[0].Clone()] : source;
    }

    /// <summary>ITU-R BT.601 luma, the same weights the image codec uses for gray decoding.</summary>
    private static float[] Luma(float[][] rgb, int size)
    {
        var luma = new float[size];
        for (var i = 0; i < size; i++)
        {
            luma[i] = 0.299f * rgb[0][i] + 0.587f * rgb[1][i] + 0.114f * rgb[2][i];
        }

        return luma;
    }

    private float[] RunGraph(float[] tensor)
    {
        if (!graphSessions.TryTake(out var session))
        {
            session = graph!.CreateSession(1);
        }

        try
        {
            session.Run(tensor);
            var output = session.Output(session.Outputs[0].Name);
            if (output.Length != tensor.Length)
            {
                return output.ToArray();
            }

            // The graph's input was copied into its session, so its output can take the tensor's place.
            output.CopyTo(tensor);
            return tensor;
        }
        finally
        {
            graphSessions.Add(session);
        }
    }
}
