using ConvService.Inference.Filters;
using ConvService.Inference.Onnx;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Preprocessing;

namespace ConvService.Inference.Tests.Serving;

public sealed class PreprocessingTests
{
    private static ModelDescriptor Descriptor(int channels, int height, int width, PreprocessingDescriptor preprocessing) => new()
    {
        Name = "m",
        Input = new InputDescriptor { Name = "input", Channels = channels, Height = height, Width = width },
        Preprocessing = preprocessing,
    };

    [Theory]
    [InlineData(1, 1, 5, 3)]
    [InlineData(17, 9, 4, 4)]
    [InlineData(140, 140, 20, 20)]
    [InlineData(3, 5, 31, 33)]
    public void ResamplingAConstantPlaneKeepsItConstant(int width, int height, int toWidth, int toHeight)
    {
        var plane = Enumerable.Repeat(42f, width * height).ToArray();
        var result = Resampler.Resize(plane, width, 0, 0, width, height, toWidth, toHeight);
        Assert.Equal(toWidth * toHeight, result.Length);
        Assert.All(result, v => Assert.Equal(42f, v, 3));
    }

    /// <summary>
    /// The resampler (vector column pass over the columns it needs, filters padded to one length) against the
    /// filter written out plainly: triangle weights widened by the scale, normalised, columns then rows, one value
    /// at a time, in the same order, so the bits must agree. Widths on either side of the vector lengths, crops, growing and shrinking.
    /// </summary>
    [Theory]
    [InlineData(451, 300, 56.5f, 0f, 337.8f, 300f, 224, 224)]
    [InlineData(40, 31, 0f, 0f, 40f, 31f, 37, 5)]
    [InlineData(9, 13, 1.25f, 2.5f, 6f, 7f, 17, 33)]
    [InlineData(300, 451, 0f, 56.5f, 300f, 337.8f, 224, 224)]
    public void ResamplingMatchesThePlainFilter(int width, int height, float left, float top, float regionWidth, float regionHeight, int toWidth, int toHeight)
    {
        var random = new Random(width + height);
        var plane = Enumerable.Range(0, width * height).Select(_ => (float)random.Next(256)).ToArray();

        var result = Resampler.Resize(plane, width, left, top, regionWidth, regionHeight, toWidth, toHeight);

        var horizontal = PlainWeights(left, regionWidth, toWidth, width);
        var vertical = PlainWeights(top, regionHeight, toHeight, height);
        var expected = new float[toWidth * toHeight];
        var columns = new float[width];
        for (var y = 0; y < toHeight; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var sum = 0f;
                for (var k = 0; k < vertical[y].Weights.Length; k++)
                {
                    sum += plane[((vertical[y].Start + k) * width) + x] * vertical[y].Weights[k];
                }

                columns[x] = sum;
            }

            for (var x = 0; x < toWidth; x++)
            {
                var sum = 0f;
                for (var k = 0; k < horizontal[x].Weights.Length; k++)
                {
                    sum += columns[horizontal[x].Start + k] * horizontal[x].Weights[k];
                }

                expected[(y * toWidth) + x] = sum;
            }
        }

        Assert.Equal(expected, result);
    }

    private static (int Start, float[] Weights)[] PlainWeights(float origin, float length, int count, int limit)
    {
        var scale = length / count;
        var support = Math.Max(1f, scale);
        var result = new (int, float[])[count];
        for (var i = 0; i < count; i++)
        {
            var center = origin + ((i + 0.5f) * scale);
            var first = Math.Max(0, (int)MathF.Floor(center - support));
            var last = Math.Min(limit - 1, (int)MathF.Ceiling(center + support));
            var weights = Enumerable.Range(first, last - first + 1).Select(j => Math.Max(0f, 1f - MathF.Abs((j + 0.5f - center) / support))).ToArray();
            var total = 0f;
            foreach (var w in weights)
            {
                total += w;
            }

            result[i] = (first, weights.Select(w => w / total).ToArray());
        }

        return result;
    }

    [Fact]
    public void ShrinkingAveragesEveryPixel()
    {
        // A 1-pixel checkerboard shrunk 4x must come out flat grey, not sampled black or white.
        var plane = new float[16 * 16];
        for (var i = 0; i < plane.Length; i++)
        {
            plane[i] = (i % 16 + i / 16) % 2 == 0 ? 0f : 255f;
        }

        var result = Resampler.Resize(plane, 16, 0, 0, 16, 16, 4, 4);
        Assert.All(result, v => Assert.InRange(v, 110f, 145f));
    }

    [Fact]
    public void ADarkBlueDigitOnWhiteIsFramedLikeMnist()
    {
        // A thick vertical bar (a "1") drawn dark blue on white, 140x140, off centre.
        var image = new FloatImage(140, 140, 3);
        image.Data.AsSpan().Fill(255f);
        for (var y = 20; y < 120; y++)
        {
            for (var x = 90; x < 110; x++)
            {
                image[0, y, x] = 20;
                image[1, y, x] = 30;
                image[2, y, x] = 140;
            }
        }

        var preprocessor = new ImagePreprocessor(Descriptor(1, 28, 28, new PreprocessingDescriptor
        {
            Resize = ResizeModes.FitDigit,
            Grayscale = true,
            Invert = InvertModes.Auto,
            Scale = 1f / 255f,
        }));
        var tensor = preprocessor.Prepare(image);

        Assert.Equal(28 * 28, tensor.Length);
        Assert.All(tensor, v => Assert.InRange(v, 0f, 1f));
        var (top, bottom, mass, comX, comY) = Ink(tensor, 28);
        Assert.Equal(20, bottom - top + 1);          // longer side scaled to 20 px
        Assert.InRange(comX, 13f, 15f);               // centre of mass at the frame centre
        Assert.InRange(comY, 13f, 15f);
        Assert.True(mass > 20);
        Assert.Equal(0f, tensor[0]);                  // the white paper became MNIST black
    }

    [Fact]
    public void ABlankImageGivesAnEmptyFrame()
    {
        var image = new FloatImage(30, 30, 1);
        image.Data.AsSpan().Fill(255f);
        var preprocessor = new ImagePreprocessor(Descriptor(1, 28, 28, new PreprocessingDescriptor { Resize = ResizeModes.FitDigit, Invert = InvertModes.Auto, Scale = 1f / 255f }));
        Assert.All(preprocessor.Prepare(image), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ShorterSideResizeKeepsTheCentreAndDropsTheSides()
    {
        // 60x20 image: red x < 15, green 15..44, blue from 45; the centre crop (x 20..39, plus the filter's reach) sees only green.
        var image = new FloatImage(60, 20, 3);
        for (var y = 0; y < 20; y++)
        {
            for (var x = 0; x < 60; x++)
            {
                image[x < 15 ? 0 : x < 45 ? 1 : 2, y, x] = 255f;
            }
        }

        var preprocessor = new ImagePreprocessor(Descriptor(3, 10, 10, new PreprocessingDescriptor { Resize = ResizeModes.ShorterSide, Crop = true }));
        var tensor = preprocessor.Prepare(image);
        Assert.All(tensor.AsSpan(0, 100).ToArray(), v => Assert.Equal(0f, v, 3));
        Assert.All(tensor.AsSpan(100, 100).ToArray(), v => Assert.Equal(255f, v, 3));
        Assert.All(tensor.AsSpan(200, 100).ToArray(), v => Assert.Equal(0f, v, 3));
    }

    [Fact]
    public void MeanStdScaleAndBgrOrderAreAppliedPerChannel()
    {
        var image = new FloatImage(2, 2, 3);
        image.Plane(0).Fill(200);
        image.Plane(1).Fill(100);
        image.Plane(2).Fill(50);
        var preprocessor = new ImagePreprocessor(Descriptor(3, 2, 2, new PreprocessingDescriptor
        {
            Scale = 1f / 255f,
            Mean = [0.5f, 0.25f, 0.125f],
            Std = [0.5f, 0.25f, 0.125f],
            ChannelOrder = "BGR",
        }));
        var tensor = preprocessor.Prepare(image);
        Assert.Equal((50f / 255 - 0.125f) / 0.125f, tensor[0], 4);   // B first
        Assert.Equal((100f / 255 - 0.25f) / 0.25f, tensor[4], 4);
        Assert.Equal((200f / 255 - 0.5f) / 0.5f, tensor[8], 4);     // R last
    }

    [Fact]
    public void TranslucentPixelsAreLaidOnWhitePaper()
    {
        var image = new FloatImage(1, 1, 4);
        image[3, 0, 0] = 0f; // fully transparent black
        var preprocessor = new ImagePreprocessor(Descriptor(1, 1, 1, new PreprocessingDescriptor()));
        Assert.Equal(255f, preprocessor.Prepare(image)[0], 3);
    }

    [Fact]
    public void TheResNetPreprocessingGraphSwapsToBgrAndSubtractsTheMeanImage()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "models", "resnet18", "ResNetPreprocess.onnx");
        var graph = OnnxModel.LoadFile(path);
        var image = new FloatImage(300, 224, 3);
        image.Plane(0).Fill(200);
        image.Plane(1).Fill(100);
        image.Plane(2).Fill(50);
        var preprocessor = new ImagePreprocessor(
            Descriptor(3, 224, 224, new PreprocessingDescriptor { Resize = ResizeModes.ShorterSide, ResizeTo = 224, Crop = true, Graph = "preprocess.onnx" }),
            graph);

        var tensor = preprocessor.Prepare(image);

        // The first value of MeanImage is 114.421097 (blue plane, pixel 0); plane order out is B, G, R.
        Assert.Equal(3 * 224 * 224, tensor.Length);
        Assert.Equal(50f - 114.421097f, tensor[0], 3);
        Assert.InRange(tensor[224 * 224], 100f - 130f, 100f - 100f);
        Assert.InRange(tensor[2 * 224 * 224], 200f - 130f, 200f - 100f);
    }

    [Fact]
    public void TheResNetPreprocessingGraphAgreesWithOnnxRuntime()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "models", "resnet18", "ResNetPreprocess.onnx");
        var bytes = File.ReadAllBytes(path);
        var random = new Random(18);
        var image = new FloatImage(224, 224, 3);
        for (var i = 0; i < image.Data.Length; i++)
        {
            image.Data[i] = random.Next(256);
        }

        var preprocessor = new ImagePreprocessor(
            Descriptor(3, 224, 224, new PreprocessingDescriptor { Resize = ResizeModes.ShorterSide, ResizeTo = 224, Crop = true, Graph = "preprocess.onnx" }),
            OnnxModel.Load(bytes));

        var ours = preprocessor.Prepare(image);
        var expected = TestSupport.OrtOracle.Run(bytes, image.Data.ToArray(), [1, 3, 224, 224]);

        Assert.Equal(expected.Length, ours.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], ours[i], 3);
        }
    }

    private static (int Top, int Bottom, float Mass, float ComX, float ComY) Ink(float[] frame, int size)
    {
        int top = size, bottom = -1;
        float mass = 0, sx = 0, sy = 0;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var v = frame[y * size + x];
                if (v > 0.25f)
                {
                    top = Math.Min(top, y);
                    bottom = Math.Max(bottom, y);
                }

                mass += v;
                sx += v * (x + 0.5f);
                sy += v * (y + 0.5f);
            }
        }

        return (top, bottom, mass, sx / mass, sy / mass);
    }
}
