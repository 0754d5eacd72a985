using ConvService.Inference.Filters;
using ConvService.Inference.Onnx;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Preprocessing;

namespace ConvService.Inference.Tests.Serving;

/// <summary>Planes read from a pooled buffer and tensors handed back for reuse give exactly the fresh path's values.</summary>
public sealed class PooledPreprocessingTests
{
    private static ModelDescriptor Descriptor(int channels, int height, int width, PreprocessingDescriptor preprocessing) => new()
    {
        Name = "m",
        Input = new InputDescriptor { Name = "input", Channels = channels, Height = height, Width = width },
        Preprocessing = preprocessing,
    };

    private static FloatImage Noise(int width, int height, int channels, int seed)
    {
        var random = new Random(seed);
        var image = new FloatImage(width, height, channels);
        for (var i = 0; i < image.Data.Length; i++)
        {
            image.Data[i] = random.Next(256);
        }

        return image;
    }

    public static TheoryData<string> Preprocessings() => ["shorter-side", "stretch-normalised-bgr", "fit-digit-gray"];

    private static (ImagePreprocessor Preprocessor, int Channels) Create(string name) => name switch
    {
        "shorter-side" => (new ImagePreprocessor(Descriptor(3, 24, 24, new PreprocessingDescriptor { Resize = ResizeModes.ShorterSide, ResizeTo = 24, Crop = true })), 3),
        "stretch-normalised-bgr" => (new ImagePreprocessor(Descriptor(3, 16, 20, new PreprocessingDescriptor
        {
            Scale = 1f / 255f,
            Mean = [0.485f, 0.456f, 0.406f],
            Std = [0.229f, 0.224f, 0.225f],
            ChannelOrder = "BGR",
        })), 3),
        _ => (new ImagePreprocessor(Descriptor(1, 28, 28, new PreprocessingDescriptor { Resize = ResizeModes.FitDigit, Grayscale = true, Invert = InvertModes.Auto, Scale = 1f / 255f })), 3),
    };

    [Theory]
    [MemberData(nameof(Preprocessings))]
    public void PlanesInALongerPooledBufferGiveTheFloatImagesTensor(string name)
    {
        var (preprocessor, channels) = Create(name);
        var image = Noise(45, 31, channels, seed: 1);

        // A pooled buffer is longer than the planes; what lies past them must not be read.
        var buffer = new float[image.Data.Length + 100];
        buffer.AsSpan().Fill(float.NaN);
        image.Data.CopyTo(buffer, 0);

        var expected = preprocessor.PrepareImage(image);
        var pooled = preprocessor.PrepareImage(buffer, image.Width, image.Height, image.Channels);

        Assert.Equal(expected.Shape, pooled.Shape);
        Assert.Equal(expected.Tensor, pooled.Tensor);
    }

    [Theory]
    [MemberData(nameof(Preprocessings))]
    public void AReturnedTensorIsReusedAndRefilledCompletely(string name)
    {
        var (preprocessor, channels) = Create(name);
        var first = Noise(45, 31, channels, seed: 2);
        var second = Noise(38, 52, channels, seed: 3);
        var expected = preprocessor.PrepareImage(second).Tensor.ToArray();

        var used = preprocessor.PrepareImage(first).Tensor;
        Array.Fill(used, float.NaN); // whatever a reused tensor held must be overwritten
        preprocessor.Return(used);
        var again = preprocessor.PrepareImage(second).Tensor;

        Assert.Same(used, again);
        Assert.Equal(expected, again);
    }

    [Fact]
    public void ATensorOfAnotherLengthIsNotTakenBack()
    {
        var (preprocessor, channels) = Create("shorter-side");
        var stranger = new float[7];
        preprocessor.Return(stranger);
        Assert.NotSame(stranger, preprocessor.PrepareImage(Noise(30, 30, channels, seed: 4)).Tensor);
    }

    [Fact]
    public void TheResNetGraphWritesIntoTheReturnedTensorWithTheSameValues()
    {
        var graph = OnnxModel.LoadFile(Path.Combine(AppContext.BaseDirectory, "models", "resnet18", "ResNetPreprocess.onnx"));
        var preprocessor = new ImagePreprocessor(
            Descriptor(3, 224, 224, new PreprocessingDescriptor { Resize = ResizeModes.ShorterSide, ResizeTo = 224, Crop = true, Graph = "preprocess.onnx" }),
            graph);
        var image = Noise(300, 240, 3, seed: 5);
        var expected = preprocessor.PrepareImage(image).Tensor.ToArray();

        var used = preprocessor.PrepareImage(Noise(250, 260, 3, seed: 6)).Tensor;
        preprocessor.Return(used);
        var again = preprocessor.PrepareImage(image).Tensor;

        Assert.Same(used, again);
        Assert.Equal(expected, again);
    }
}
