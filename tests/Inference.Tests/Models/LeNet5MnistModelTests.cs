using System.Text.Json;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Training;

namespace ConvService.Inference.Tests.Models;

/// <summary>The committed models/lenet5-mnist: its accuracy, its interface, and ONNX Runtime agreeing with us.</summary>
public sealed class LeNet5MnistModelTests
{
    private const string ModelName = "lenet5-mnist";

    // Loaded and run through ONNX Runtime once for all tests of this class.
    private static readonly Lazy<(byte[] Model, DigitSet HeldOut, float[] Images, float[] OrtProbabilities)> Committed = new(() =>
    {
        var folder = ModelFolder.Of(ModelName);
        var heldOut = DigitSet.Read(Path.Combine(folder, "heldout-digits.bin.gz"));
        var images = new float[heldOut.Count * LeNet5Layout.Pixels];
        for (var i = 0; i < heldOut.Count; i++)
        {
            heldOut.CopyScaled(i, images.AsSpan(i * LeNet5Layout.Pixels, LeNet5Layout.Pixels));
        }

        var model = File.ReadAllBytes(Path.Combine(folder, "model.onnx"));
        return (model, heldOut, images, OnnxRuntimeRunner.Probabilities(model, images, heldOut.Count));
    });

    [Fact]
    public void HeldOutFileHasTwoThousandLabelledDigits()
    {
        var heldOut = Committed.Value.HeldOut;
        Assert.Equal(2000, heldOut.Count);
        Assert.Equal(28, heldOut.Rows);
        Assert.Equal(28, heldOut.Columns);
        Assert.All(heldOut.Labels, label => Assert.InRange(label, 0, 9));

        // A split by a seeded shuffle leaves every class represented.
        Assert.Equal(10, heldOut.Labels.Distinct().Count());
    }

    [Fact]
    public void OnnxRuntimeReachesNinetyEightPercentOnHeldOutDigits()
    {
        var (_, heldOut, _, probabilities) = Committed.Value;

        var correct = 0;
        for (var i = 0; i < heldOut.Count; i++)
        {
            if (ArgMax(probabilities.AsSpan(i * 10, 10)) == heldOut.Labels[i])
            {
                correct++;
            }
        }

        Assert.True(correct >= 1960, $"ONNX Runtime got {correct}/2000 held-out digits right; at least 1960 (98%) expected.");
    }

    [Fact]
    public void OnnxRuntimeGivesTheSamePredictionsAsOurForwardPass()
    {
        var (model, heldOut, images, ort) = Committed.Value;
        var network = new LeNet5Network(LeNet5Onnx.ImportParameters(ModelProto.Parser.ParseFrom(model)));

        var ours = new float[10];
        var disagreements = 0;
        var largestDifference = 0f;
        for (var i = 0; i < heldOut.Count; i++)
        {
            network.Predict(images.AsSpan(i * LeNet5Layout.Pixels, LeNet5Layout.Pixels), ours);
            var theirs = ort.AsSpan(i * 10, 10);
            if (ArgMax(theirs) != ArgMax(ours))
            {
                disagreements++;
            }

            for (var c = 0; c < 10; c++)
            {
                largestDifference = MathF.Max(largestDifference, MathF.Abs(theirs[c] - ours[c]));
            }
        }

        Assert.Equal(0, disagreements);
        Assert.True(largestDifference < 1e-4f, $"Probabilities differ by up to {largestDifference}; at most 1e-4 expected.");
    }

    [Fact]
    public void ModelFileDeclaresTheAgreedInterface()
    {
        var model = ModelProto.Parser.ParseFrom(Committed.Value.Model);

        Assert.Equal(13, Assert.Single(model.OpsetImport).Version);
        var input = Assert.Single(model.Graph.Input);
        Assert.Equal("input", input.Name);
        var inputDims = input.Type.TensorType.Shape.Dim;
        Assert.Equal("N", inputDims[0].DimParam);
        Assert.Equal([1L, 28, 28], inputDims.Skip(1).Select(d => d.DimValue));
        var output = Assert.Single(model.Graph.Output);
        Assert.Equal("probabilities", output.Name);
        Assert.Equal("N", output.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(10, output.Type.TensorType.Shape.Dim[1].DimValue);

        Assert.Equal(
            ["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm", "Softmax"],
            model.Graph.Node.Select(n => n.OpType));
        Assert.All(
            model.Graph.Node.Where(n => n.OpType == "Gemm"),
            gemm => Assert.Equal(1, gemm.Attribute.Single(a => a.Name == "transB").I));

        var labels = model.MetadataProps.Single(p => p.Key == LeNet5Onnx.LabelsMetadataKey).Value;
        Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString()), JsonSerializer.Deserialize<string[]>(labels));
    }

    [Fact]
    public void ModelHas61706Parameters()
    {
        var model = ModelProto.Parser.ParseFrom(Committed.Value.Model);
        var stored = model.Graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (a, b) => a * b));

        Assert.Equal(61706, stored);
        Assert.Equal(61706, LeNet5Layout.ParameterCount);

        // About 250 KB: float weights and little else.
        Assert.InRange(Committed.Value.Model.Length, 61706 * 4, 61706 * 4 + 8 * 1024);
    }

    [Fact]
    public void ModelDescriptionMatchesTheModelFile()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModelFolder.Of(ModelName), "model.json")));
        var root = json.RootElement;

        Assert.Equal(ModelName, root.GetProperty("name").GetString());
        Assert.Equal("classify", root.GetProperty("task").GetString());
        Assert.Equal("input", root.GetProperty("input").GetProperty("name").GetString());
        Assert.Equal("NCHW", root.GetProperty("input").GetProperty("layout").GetString());
        Assert.Equal(28, root.GetProperty("input").GetProperty("height").GetInt32());
        Assert.Equal(1.0 / 255, root.GetProperty("preprocessing").GetProperty("scale").GetDouble(), 1e-12);
        Assert.Equal(
            Enumerable.Range(0, 10).Select(d => d.ToString()),
            root.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
