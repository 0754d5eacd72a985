using ConvService.Inference.Engine;
using ConvService.Inference.Errors;
using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Tests.TestSupport;
using Google.Protobuf;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>Broken or hostile model files: each must be a clear Unprocessable error listing every problem, never a crash or hang.</summary>
public sealed class MalformedModelTests
{
    private static byte[] ValidModel()
    {
        var b = new OnnxGraphBuilder(seed: 3);
        var x = b.Input("x", [1, 2, 6, 6]);
        b.Output(b.Relu(b.Conv(x, 3, 3)));
        return b.ToBytes();
    }

    private static ConvServiceException Refused(byte[] bytes, EngineOptions? options = null)
    {
        var error = Assert.Throws<ConvServiceException>(() => OnnxModel.Load(bytes, options));
        Assert.Equal(ErrorKind.DoesNotFit, error.Kind);
        Assert.Equal("The ONNX model cannot be used", error.Title);
        return error;
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    public void TruncatedFileIsRefused(double keep)
    {
        var bytes = ValidModel();
        var error = Refused(bytes[..(int)(bytes.Length * keep)]);
        Assert.Contains("export the model again", error.Message);
    }

    [Fact]
    public async Task EveryTruncationLengthIsRefusedOrRunsCleanly()
    {
        var bytes = ValidModel();
        var outcomes = new List<MutatedModels.Outcome>();
        await MutatedModels.WithinHangLimitAsync(() =>
        {
            for (var length = 0; length < bytes.Length; length++)
            {
                outcomes.Add(MutatedModels.LoadAndRun(bytes[..length], seed: length));
            }
        });

        Assert.Equal(bytes.Length, outcomes.Count);
        Assert.Contains(MutatedModels.Outcome.RefusedAtLoad, outcomes);
    }

    [Fact]
    public void FileWithAnotherFormatsMagicIsRefused()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1];
        var error = Refused(png);
        Assert.Contains("ONNX", error.Message);
    }

    [Fact]
    public void EmptyFileIsRefused() => Refused([]);

    [Fact]
    public async Task RandomBytesAreRefusedOrRunCleanlyWithinTheHangLimit()
    {
        var random = new Random(42);
        var valid = ValidModel();
        var outcomes = new List<MutatedModels.Outcome>();
        await MutatedModels.WithinHangLimitAsync(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                var bytes = (byte[])valid.Clone();
                for (var k = 0; k < 4; k++)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                outcomes.Add(MutatedModels.LoadAndRun(bytes, seed: i));
            }
        });

        // Both outcomes occur with this seed, so the loop exercises refusals and runs of damaged models alike.
        Assert.Equal(200, outcomes.Count);
        Assert.Contains(MutatedModels.Outcome.RefusedAtLoad, outcomes);
        Assert.Contains(MutatedModels.Outcome.Ran, outcomes);
    }

    [Fact]
    public void TwoToTheFortyElementDimensionClaimIsRefusedBeforeAllocating()
    {
        var model = ModelProto.Parser.ParseFrom(ValidModel());
        var weight = model.Graph.Initializer[0];
        weight.Dims.Clear();
        weight.Dims.AddRange([1L << 20, 1L << 20, 1, 1]);
        var error = Refused(model.ToByteArray());
        Assert.Contains("limit", error.Message);
        Assert.Contains("1048576", error.Message);
    }

    [Fact]
    public void HugeInputDimensionIsRefused()
    {
        var model = ModelProto.Parser.ParseFrom(ValidModel());
        model.Graph.Input[0].Type.TensorType.Shape.Dim[2].DimValue = 1L << 40;
        var error = Refused(model.ToByteArray());
        Assert.Contains("x", error.Message);
    }

    [Fact]
    public void ExternalDataIsRefusedWithoutOpeningThePath()
    {
        var model = ModelProto.Parser.ParseFrom(ValidModel());
        var weight = model.Graph.Initializer[0];
        weight.FloatData.Clear();
        weight.DataLocation = TensorProto.Types.DataLocation.External;
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "/etc/passwd" });
        var error = Refused(model.ToByteArray());
        Assert.Contains("external", error.Message);
        Assert.Contains(model.Graph.Initializer[0].Name, error.Message);
    }

    [Fact]
    public void CycleIsRefusedNamingItsNodes()
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("x", [1, 4]);
        var model = b.Build();
        model.Graph.Node.Add(Node("Add", "first", [x, "second"], "first"));
        model.Graph.Node.Add(Node("Relu", "second", ["first"], "second"));
        model.Graph.Output.Add(new ValueInfoProto { Name = "second" });
        var error = Refused(model.ToByteArray());
        Assert.Contains("cycle", error.Message);
        Assert.Contains("'first'", error.Message);
        Assert.Contains("'second'", error.Message);
    }

    [Fact]
    public void UnknownOperatorsAreAllListedAtOnce()
    {
        var model = ModelProto.Parser.ParseFrom(ValidModel());
        var relu = model.Graph.Node[1];
        model.Graph.Node.Remove(relu);
        model.Graph.Node.Add(Node("FancyActivation", "fancy", [relu.Input[0]], "fancy"));
        model.Graph.Node.Add(Node("Mystery", "mystery", ["fancy"], relu.Output[0]));
        var error = Refused(model.ToByteArray());
        Assert.Contains("'fancy' (FancyActivation)", error.Message);
        Assert.Contains("'mystery' (Mystery)", error.Message);
        Assert.Contains("Supported operators are", error.Message);
    }

    [Fact]
    public void EveryProblemIsReportedTogether()
    {
        var model = ModelProto.Parser.ParseFrom(ValidModel());
        model.OpsetImport[0].Version = 99;
        model.Graph.Initializer[0].FloatData.RemoveAt(0);
        model.Graph.Node.Add(Node("Mystery", "mystery", ["x"], "unused"));
        var error = Refused(model.ToByteArray());
        var problems = Assert.IsType<string[]>(error.Extensions["problems"]);
        Assert.Equal(3, problems.Length);
        Assert.Contains(problems, p => p.Contains("opset 99"));
        Assert.Contains(problems, p => p.Contains("holds 53 values"));
        Assert.Contains(problems, p => p.Contains("Mystery"));
    }

    /// <summary>
    /// Fusion runs before planning checks inputs; fuzzing found a Relu, and a Conv feeding a residual Add, with no
    /// inputs at all, which indexed past the end. Each is now refused by planning, naming the node.
    /// </summary>
    [Theory]
    [InlineData("Relu")]
    [InlineData("Conv")]
    [InlineData("BatchNormalization")]
    public void ANodeWithoutInputsAtAFusionSiteIsRefusedNamingIt(string emptied)
    {
        var b = new OnnxGraphBuilder(seed: 5);
        var x = b.Input("x", [1, 2, 6, 6]);
        var conv = b.Conv(x, 2, 3, pad: 1);
        b.Output(b.Relu(b.Add(b.BatchNorm(conv), x)));
        var model = b.Build();
        var node = model.Graph.Node.First(n => n.OpType == emptied);
        node.Input.Clear();

        var error = Refused(model.ToByteArray());

        Assert.Contains($"'{node.Name}'", error.Message);
    }

    [Fact]
    public void TooManyNodesIsRefused()
    {
        var error = Refused(ValidModel(), new EngineOptions { MaxNodes = 1 });
        Assert.Contains("2 nodes", error.Message);
    }

    [Fact]
    public void ShapeMismatchNamesTheNode()
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("x", [1, 3, 8, 8]);
        var y = b.Input("y", [1, 5, 8, 8]);
        b.Output(b.Add(x, y, name: "mismatched_add"));
        var error = Refused(b.ToBytes());
        Assert.Contains("'mismatched_add' (Add)", error.Message);
        Assert.Contains("do not broadcast", error.Message);
    }

    [Fact]
    public void OversizedFileIsTooLarge()
    {
        var error = Assert.Throws<ConvServiceException>(() => OnnxModel.Load(ValidModel(), new EngineOptions { MaxModelBytes = 10 }));
        Assert.Equal(ErrorKind.OverLimit, error.Kind);
    }

    private static NodeProto Node(string opType, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}
