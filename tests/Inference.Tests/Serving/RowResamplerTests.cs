using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Preprocessing;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Serving;

/// <summary>
/// The resampler fed a row at a time, as a PNG decoder hands rows over, against the preprocessor run on the same
/// pixels held as planes: the tensors must be the same to the bit, for RGB, RGBA and gray rows, shrinking and growing,
/// crops, BGR models and normalisation.
/// </summary>
public sealed class RowResamplerTests
{
    public static TheoryData<int, int, int, int, string, string, int> Cases() => new()
    {
        // image width, height; model width, height; resize; channel order; bytes per pixel
        { 451, 300, 224, 224, ResizeModes.ShorterSide, "RGB", 3 },
        { 300, 451, 48, 64, ResizeModes.ShorterSide, "BGR", 3 },
        { 32, 20, 224, 224, ResizeModes.Stretch, "RGB", 3 },
        { 1000, 37, 31, 17, ResizeModes.Stretch, "BGR", 3 },
        { 77, 51, 40, 40, ResizeModes.ShorterSide, "RGB", 1 },
        { 451, 300, 224, 224, ResizeModes.ShorterSide, "BGR", 4 },
        { 9, 700, 12, 30, ResizeModes.Stretch, "RGB", 4 },
        { 5, 3, 9, 9, ResizeModes.Stretch, "RGB", 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RowsGiveTheTensorOfThePlanes(int width, int height, int modelWidth, int modelHeight, string resize, string order, int bytesPerPixel)
    {
        var preprocessor = Preprocessor(modelWidth, modelHeight, new PreprocessingDescriptor
        {
            Resize = resize,
            ChannelOrder = order,
            Scale = 1f / 255f,
            Mean = [0.485f, 0.456f, 0.406f],
            Std = [0.229f, 0.224f, 0.225f],
        });
        var random = new Random(width * height);
        var pixels = new byte[width * height * bytesPerPixel];
        random.NextBytes(pixels);

        using var rows = preprocessor.BeginRows(width, height);
        Assert.NotNull(rows);
        for (var y = 0; y < height; y++)
        {
            rows.TakeRow(y, pixels.AsSpan(y * width * bytesPerPixel, width * bytesPerPixel), bytesPerPixel);
        }

        var fromRows = rows.Finish().Tensor.ToArray();
        var fromPlanes = preprocessor.PrepareImage(Planes(pixels, width, height, bytesPerPixel), width, height, 3).Tensor;

        Assert.Equal(modelWidth * modelHeight * 3, fromRows.Length);
        Assert.Equal(fromPlanes, fromRows);
    }

    [Fact]
    public void RowsComeInOrderAndWhole()
    {
        var preprocessor = Preprocessor(8, 8, new PreprocessingDescriptor());
        using var rows = preprocessor.BeginRows(10, 4)!;
        var row = new byte[30];

        Assert.Throws<ArgumentException>(() => rows.TakeRow(1, row, 3));
        Assert.Throws<ArgumentException>(() => rows.TakeRow(0, row.AsSpan(0, 29), 3));
        Assert.Throws<ArgumentException>(() => rows.TakeRow(0, row, 2));
        rows.TakeRow(0, row, 3);
        Assert.Throws<InvalidOperationException>(() => rows.Finish());
    }

    /// <summary>Preprocessing that needs the whole image (gray conversion, inversion, digit framing) or no resize is left to the planes.</summary>
    [Fact]
    public void ModelsThatNeedPlanesAreDeclined()
    {
        Assert.Null(Preprocessor(28, 28, new PreprocessingDescriptor { Resize = ResizeModes.FitDigit }).BeginRows(40, 40));
        Assert.Null(Preprocessor(28, 28, new PreprocessingDescriptor { Grayscale = true }).BeginRows(40, 40));
        Assert.Null(Preprocessor(28, 28, new PreprocessingDescriptor { Invert = InvertModes.Auto }).BeginRows(40, 40));
        Assert.Null(Preprocessor(28, 28, new PreprocessingDescriptor()).BeginRows(28, 28));
        Assert.Null(new ImagePreprocessor(Descriptor(1, 28, 28, new PreprocessingDescriptor())).BeginRows(40, 40));
        Assert.NotNull(Preprocessor(28, 28, new PreprocessingDescriptor()).BeginRows(40, 40));
    }

    public static TheoryData<SimdLevel> Levels() => new(SimdLevels.All);

    /// <summary>
    /// The horizontal pass over RGB and RGBA pixels at each level against the scalar loop, bit for bit, on filters
    /// that shrink and grow, reaching both ends of the row (where the vector loop hands over to the scalar one), and
    /// the red row against the plain one-plane pass.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Levels))]
    public void PixelsAcrossMatchTheScalarLoop(SimdLevel level)
    {
        SimdLevels.Require(level);
        var random = new Random(3);
        foreach (var stride in new[] { 3, 4 })
        {
            foreach (var (width, outputs, left, span) in new (int, int, float, float)[] { (451, 224, 56.5f, 337.8f), (7, 31, 0f, 7f), (64, 5, 0f, 64f), (3, 1, 0f, 3f) })
            {
                var source = Enumerable.Range(0, stride * width).Select(_ => (float)random.Next(256)).ToArray();
                var filters = Resampler.Uniform(Resampler.Weights(left, span, outputs, width), width);
                var expected = new float[3][];
                var actual = new float[3][];
                for (var c = 0; c < 3; c++)
                {
                    expected[c] = new float[outputs];
                    actual[c] = new float[outputs];
                }

                Resampler.AcrossPixels(source, stride, filters, expected[0], expected[1], expected[2], SimdLevel.Scalar);
                Resampler.AcrossPixels(source, stride, filters, actual[0], actual[1], actual[2], level);

                Assert.Equal(expected, actual);
                var plane = Enumerable.Range(0, width).Select(x => source[stride * x]).ToArray();
                var red = new float[outputs];
                Resampler.Across(plane, filters, red);
                Assert.Equal(red, actual[0]);
            }
        }
    }

    /// <summary>Padding the filters to one length must not change a bit of the result (zero terms add nothing).</summary>
    [Fact]
    public void UniformFiltersGiveTheSameSums()
    {
        var random = new Random(5);
        var plane = Enumerable.Range(0, 451).Select(_ => (float)random.Next(256)).ToArray();
        var ragged = Resampler.Weights(56.5f, 337.8f, 224, 451);
        var uniform = Resampler.Uniform(ragged, 451);
        Assert.Single(uniform.Select(t => t.Weights.Length).Distinct());
        Assert.Contains(ragged, t => t.Weights.Length != uniform[0].Weights.Length);
        Assert.All(uniform, t => Assert.InRange(t.Start + t.Weights.Length, 1, 451));

        var expected = new float[224];
        var actual = new float[224];
        Resampler.Across(plane, ragged, expected);
        Resampler.Across(plane, uniform, actual);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void WideningGivesEveryByteItsValue()
    {
        foreach (var length in new[] { 0, 1, 15, 16, 17, 63, 64, 65, 200 })
        {
            var bytes = Enumerable.Range(0, length).Select(i => (byte)((i * 37) + 11)).ToArray();
            var values = new float[length];
            Resampler.Widen(bytes, values);
            Assert.Equal(bytes.Select(b => (float)b), values);
        }
    }

    private static ImagePreprocessor Preprocessor(int width, int height, PreprocessingDescriptor preprocessing) =>
        new(Descriptor(3, height, width, preprocessing));

    private static ModelDescriptor Descriptor(int channels, int height, int width, PreprocessingDescriptor preprocessing) => new()
    {
        Name = "m",
        Input = new InputDescriptor { Name = "input", Channels = channels, Height = height, Width = width },
        Preprocessing = preprocessing,
    };

    /// <summary>The planes a decoder gives for the pixels: RGB as they are (an RGBA pixel's alpha left out), gray in all three.</summary>
    private static float[] Planes(byte[] pixels, int width, int height, int bytesPerPixel)
    {
        var plane = width * height;
        var values = new float[3 * plane];
        for (var p = 0; p < plane; p++)
        {
            for (var c = 0; c < 3; c++)
            {
                values[(c * plane) + p] = pixels[(p * bytesPerPixel) + (bytesPerPixel == 1 ? 0 : c)];
            }
        }

        return values;
    }
}
