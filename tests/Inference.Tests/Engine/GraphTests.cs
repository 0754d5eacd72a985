using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Tests.TestSupport;
using Google.Protobuf;

namespace ConvService.Inference.Tests.Engine;

public sealed class GraphTests
{
    [Fact]
    public void NodesStoredOutOfOrderAreSortedTopologically()
    {
        var bytes = NetworkZoo.ResNet50Quarter();
        var reversed = ModelProto.Parser.ParseFrom(bytes);
        var nodes = reversed.Graph.Node.Reverse().ToList();
        reversed.Graph.Node.Clear();
        reversed.Graph.Node.AddRange(nodes);

        var input = Accuracy.Random(3 * 64 * 64, seed: 3);
        Accuracy.AssertElementwiseClose(EngineRunner.Run(bytes, input), EngineRunner.Run(reversed.ToByteArray(), input), atol: 0, rtol: 0);
    }

    [Fact]
    public void ShapeChainFoldsForEverySessionBatch()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [1, 2, 3, 3], batchSymbol: "batch");
        var shape = b.Node("Shape", "shape", [x], [4]);
        var zero = b.IntegerInitializer("zero", [0]);
        var batch = b.Node("Gather", "gather", [shape, zero], [1], OnnxGraphBuilder.Int("axis", 0));
        var minusOne = b.IntegerInitializer("minus_one", [-1]);
        var target = b.Node("Concat", "target", [batch, minusOne], [2], OnnxGraphBuilder.Int("axis", 0));
        b.Output(b.Node("Reshape", "reshape", [x, target], [1, 18]));
        var model = OnnxModel.Load(b.ToBytes());

        Assert.Equal(["reshape"], model.Layers.Select(l => l.Name));
        using var session = model.CreateSession(3);
        Assert.Equal([3, 18], session.Outputs[0].Shape);
        var input = Accuracy.Random(54, seed: 1);
        session.Run(input);
        Assert.Equal(input, session.Output("reshape").ToArray());
    }

    [Fact]
    public void LoadsFromAStream()
    {
        using var stream = new MemoryStream(NetworkZoo.LeNet5());
        var model = OnnxModel.Load(stream);
        Assert.Equal([1, 10], model.Outputs[0].Shape);
    }

    [Fact]
    public void ActivationWithASecondReaderIsNotFused()
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("x", [1, 2, 5, 5]);
        var conv = b.Conv(x, 3, 3, pad: 1);
        var relu = b.Relu(conv);
        b.Output(b.Add(relu, conv));
        var bytes = b.ToBytes();
        Assert.Equal(["Conv", "Relu", "Add"], OnnxModel.Load(bytes).Layers.Select(l => l.OpType));
        EngineRunner.AssertMatchesOrt(bytes, [1, 2, 5, 5]);
    }

    [Fact]
    public async Task RandomlyCorruptedNetworksAreRefusedOrRunCleanly()
    {
        var valid = NetworkZoo.GoogLeNetQuarter();
        var random = new Random(5);
        var outcomes = new List<MutatedModels.Outcome>();
        await MutatedModels.WithinHangLimitAsync(() =>
        {
            for (var i = 0; i < 40; i++)
            {
                var model = ModelProto.Parser.ParseFrom(valid);
                var node = model.Graph.Node[random.Next(model.Graph.Node.Count)];
                if (node.Attribute.Count > 0)
                {
                    var attribute = node.Attribute[random.Next(node.Attribute.Count)];
                    attribute.I = random.Next(-3, 100);
                    for (var k = 0; k < attribute.Ints.Count; k++)
                    {
                        attribute.Ints[k] = random.Next(-3, 100);
                    }
                }

                outcomes.Add(MutatedModels.LoadAndRun(model.ToByteArray(), seed: i));
            }
        });

        // With this seed most corruptions are refused and some still describe a runnable network; both must be clean.
        Assert.Equal(40, outcomes.Count);
        Assert.Contains(MutatedModels.Outcome.RefusedAtLoad, outcomes);
        Assert.Contains(MutatedModels.Outcome.Ran, outcomes);
    }
}
