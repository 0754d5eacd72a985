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

    public float[] Prepare(FloatImage image) => PrepareImage(image).Tensor;

    public PreparedImage PrepareImage(FloatImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var keepSize = height <= 0 || width <= 0;
        int outHeight = keepSize ? image.Height : height, outWidth = keepSize ? image.Width : width;
        if (!keepSize && ReadsPlanesAsTheyAre(image))
        {
            return Resample(image);
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
        var tensor = new float[channels * planeSize];
        for (var c = 0; c < channels; c++)
        {
            var sized = keepSize ? planes[c] : Resize(planes[c], image.Width, image.Height);
            var target = p.ChannelOrder == "BGR" && channels == 3 ? 2 - c : c;
            var mean = p.Mean.Count == 1 ? p.Mean[0] : p.Mean[c];
            var std = p.Std.Count == 1 ? p.Std[0] : p.Std[c];
            var output = tensor.AsSpan(target * planeSize, planeSize);
            for (var i = 0; i < planeSize; i++)
            {
                output[i] = (sized[i] * p.Scale - mean) / std;
            }
        }

        return new PreparedImage(graph is null ? tensor : RunGraph(tensor), channels, outHeight, outWidth);
    }

    /// <summary>
    /// The upload's planes are the model's channels already (no alpha, no gray conversion, no inversion) and a
    /// resampling resize applies: they are read where they are and resampled straight into the tensor, without the
    /// copies of the general path (each a fresh large array at photo sizes). The arithmetic is the general path's.
    /// </summary>
    private bool ReadsPlanesAsTheyAre(FloatImage image) =>
        image.Channels == channels && (channels == 1 || !p.Grayscale) && p.Invert == InvertModes.Never
        && (p.Resize == ResizeModes.ShorterSide || (p.Resize != ResizeModes.FitDigit && p.Resize != ResizeModes.None && (image.Width != width || image.Height != height)));

    private PreparedImage Resample(FloatImage image)
    {
        var planeSize = height * width;
        var tensor = new float[channels * planeSize];
        for (var c = 0; c < channels; c++)
        {
            var target = p.ChannelOrder == "BGR" && channels == 3 ? 2 - c : c;
            var output = tensor.AsSpan(target * planeSize, planeSize);
            if (p.Resize == ResizeModes.ShorterSide)
            {
                var shorter = p.ResizeTo ?? Math.Min(width, height);
                var scale = (float)shorter / Math.Min(image.Width, image.Height);
                float regionWidth = width / scale, regionHeight = height / scale;
                Resampler.Resize(image.Plane(c), image.Width, (image.Width - regionWidth) / 2, (image.Height - regionHeight) / 2, regionWidth, regionHeight, width, height, output);
            }
            else
            {
                Resampler.Resize(image.Plane(c), image.Width, 0, 0, image.Width, image.Height, width, height, output);
            }

            var mean = p.Mean.Count == 1 ? p.Mean[0] : p.Mean[c];
            var std = p.Std.Count == 1 ? p.Std[0] : p.Std[c];
            for (var i = 0; i < planeSize; i++)
            {
                output[i] = (output[i] * p.Scale - mean) / std;
            }
        }

        return new PreparedImage(graph is null ? tensor : RunGraph(tensor), channels, height, width);
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
                    var shorter = p.ResizeTo ?? Math.Min(width, height);
                    var scale = (float)shorter / Math.Min(imageWidth, imageHeight);
                    float regionWidth = width / scale, regionHeight = height / scale;
                    return Resampler.Resize(plane, imageWidth, (imageWidth - regionWidth) / 2, (imageHeight - regionHeight) / 2, regionWidth, regionHeight, width, height);
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
            return session.Output(session.Outputs[0].Name).ToArray();
        }
        finally
        {
            graphSessions.Add(session);
        }
    }
}
