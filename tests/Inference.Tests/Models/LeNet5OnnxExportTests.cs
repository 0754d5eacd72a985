using ConvService.Inference.Errors;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Training;
using Google.Protobuf;

namespace ConvService.Inference.Tests.Models;

/// <summary>The exporter writes a graph ONNX Runtime computes exactly like our forward pass, for any weights.</summary>
public sealed class LeNet5OnnxExportTests
{
    private static readonly string[] Labels = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void OnnxRuntimeComputesTheSameProbabilitiesAsOurForwardPass(int batch)
    {
        var parameters = LeNet5GradientCheckTests.RandomParameters(seed: 31);
        var model = LeNet5Onnx.Export(parameters, Labels).ToByteArray();
        var (images, _) = LeNet5GradientCheckTests.RandomBatch(seed: 32, count: batch);

        var theirs = OnnxRuntimeRunner.Probabilities(model, images, batch);
        var network = new LeNet5Network(parameters);
        var ours = new float[LeNet5Layout.Classes];
        for (var n = 0; n < batch; n++)
        {
            network.Predict(images.AsSpan(n * LeNet5Layout.Pixels, LeNet5Layout.Pixels), ours);
            for (var c = 0; c < LeNet5Layout.Classes; c++)
            {
                Assert.Equal(theirs[n * LeNet5Layout.Classes + c], ours[c], 1e-5f);
            }
        }
    }

    [Fact]
    public void ImportReturnsTheExportedWeights()
    {
        var parameters = LeNet5GradientCheckTests.RandomParameters(seed: 33);
        var bytes = LeNet5Onnx.Export(parameters, Labels).ToByteArray();

        var imported = LeNet5Onnx.ImportParameters(ModelProto.Parser.ParseFrom(bytes));

        Assert.Equal(parameters.Values, imported.Values);
    }

    [Fact]
    public void ImportRefusesAModelWithoutLeNetWeights()
    {
        var model = LeNet5Onnx.Export(new LeNet5Parameters(), Labels);
        model.Graph.Initializer.RemoveAt(4);

        var error = Assert.Throws<ConvServiceException>(() => LeNet5Onnx.ImportParameters(model));
        Assert.Equal(ErrorKind.DoesNotFit, error.Kind);
        Assert.Contains("fc1.weight", error.Message);
    }

    [Fact]
    public void ExportNeedsOneLabelPerClass()
    {
        Assert.Throws<ArgumentException>(() => LeNet5Onnx.Export(new LeNet5Parameters(), ["a", "b"]));
    }

    [Fact]
    public void DigitSetSurvivesWriteAndRead()
    {
        var random = new Random(41);
        var labels = new byte[3];
        var pixels = new byte[3 * 28 * 28];
        random.NextBytes(labels);
        random.NextBytes(pixels);
        var digits = new DigitSet(labels, pixels);

        using var stream = new MemoryStream();
        digits.Write(stream);
        stream.Position = 0;
        var read = DigitSet.Read(stream);

        Assert.Equal(labels, read.Labels);
        Assert.Equal(pixels, read.Pixels);
        var scaled = new float[28 * 28];
        read.CopyScaled(2, scaled);
        Assert.Equal(pixels[2 * 784 + 5] / 255f, scaled[5]);
    }

    [Fact]
    public void DigitSetRefusesAFileOfAnotherKind()
    {
        using var stream = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(new byte[32]);
        }

        stream.Position = 0;
        var error = Assert.Throws<ConvServiceException>(() => DigitSet.Read(stream));
        Assert.Contains("DIGT", error.Message);
    }
}
