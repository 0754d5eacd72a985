using ConvService.Inference.Onnx;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>Residual Adds folded into convolutions, and the cases that must keep their own Add step, against ONNX Runtime.</summary>
public sealed class ResidualFusionOracleTests
{
    // Squeeze-excitation style: the convolution produces the smaller operand, which the Add broadcasts up.
    [Fact]
    public void AddBroadcastingTheConvOutputUp()
    {
        var b = new OnnxGraphBuilder(seed: 41);
        var x = b.Input("x", [2, 8, 7, 7]);
        var gap = b.GlobalAveragePool(x);
        var conv = b.Conv(gap, 8, 1, name: "conv");
        b.Output(b.Node("Add", "add", [conv, x], [2, 8, 7, 7]));
        EngineRunner.AssertMatchesOrt(b.ToBytes(), [2, 8, 7, 7], tolerance: 1e-4);
    }

    // Residual is the conv's own input; 32+ channels (direct kernel), batch 2, Relu after.
    [Fact]
    public void AddOfConvAndItsOwnInput()
    {
        var b = new OnnxGraphBuilder(seed: 42);
        var x = b.Input("x", [2, 40, 9, 11]);
        var conv = b.Conv(x, 40, 3, pad: 1, name: "conv");
        b.Output(b.Relu(b.Node("Add", "add", [x, conv], [2, 40, 9, 11])));
        EngineRunner.AssertMatchesOrt(b.ToBytes(), [2, 40, 9, 11], tolerance: 1e-4);
    }

    // Conv output is both an Add operand and a graph output.
    [Fact]
    public void ConvOutputAlsoAGraphOutput()
    {
        var b = new OnnxGraphBuilder(seed: 43);
        var x = b.Input("x", [1, 40, 6, 6]);
        var conv = b.Conv(x, 40, 3, pad: 1, name: "conv");
        b.Output(conv);
        b.Output(b.Node("Add", "add", [conv, x], [1, 40, 6, 6]));
        EngineRunner.AssertMatchesOrt(b.ToBytes(), [1, 40, 6, 6], tolerance: 1e-4, outputName: "conv");
        EngineRunner.AssertMatchesOrt(b.ToBytes(), [1, 40, 6, 6], tolerance: 1e-4, outputName: "add");
    }

    // Two chained residual Adds; the second Add's other operand comes from a conv placed after the first Add.
    [Fact]
    public void ChainedResidualAdds()
    {
        var b = new OnnxGraphBuilder(seed: 44);
        var x = b.Input("x", [1, 32, 5, 5]);
        var c1 = b.Conv(x, 32, 3, pad: 1, name: "c1");
        var c2 = b.Conv(x, 32, 1, name: "c2");
        var a1 = b.Node("Add", "a1", [c1, c2], [1, 32, 5, 5]);
        var c3 = b.Conv(x, 32, 3, pad: 1, name: "c3");
        var a2 = b.Node("Add", "a2", [a1, c3], [1, 32, 5, 5]);
        b.Output(b.Relu(a2));
        EngineRunner.AssertMatchesOrt(b.ToBytes(), [1, 32, 5, 5], tolerance: 1e-4);
    }

    /// <summary>
    /// The added tensor is the batch mean, [1, 8, 5, 5] at every batch size: the convolution's shape at batch 1
    /// (folded into the store), a broadcast at batch 2 (its own Add step). One loaded model serves both batches, in
    /// either order, so a convolution plan cached for one batch must not be reused with the other choice.
    /// </summary>
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 1)]
    public void ResidualWhoseShapeMatchesOnlyAtBatchOne(int firstBatch, int secondBatch)
    {
        var b = new OnnxGraphBuilder(seed: 45);
        var x = b.Input("x", [1, 8, 5, 5], batchSymbol: "N");
        var t = b.Node("Transpose", "t", [x], [8, 5, 5, 1], OnnxGraphBuilder.Ints("perm", 1, 2, 3, 0));
        var r = b.Node("Reshape", "r", [t, b.IntegerInitializer("s1", [1, 200, 1, -1])], [1, 200, 1, 1]);
        var m = b.Node("GlobalAveragePool", "m", [r], [1, 200, 1, 1]);
        var mean = b.Node("Reshape", "mean", [m, b.IntegerInitializer("s2", [1, 8, 5, 5])], [1, 8, 5, 5]);
        var conv = b.Conv(x, 8, 3, pad: 1, name: "conv");
        b.Output(b.Node("Add", "add", [conv, mean], [1, 8, 5, 5]));
        var bytes = b.ToBytes();
        var model = OnnxModel.Load(bytes);
        foreach (var batch in new[] { firstBatch, secondBatch })
        {
            var input = Accuracy.Random(batch * 200, 50 + batch);
            using var session = model.CreateSession(batch);
            session.Run(input);
            Accuracy.AssertClose(OrtOracle.Run(bytes, input, [batch, 8, 5, 5]), session.Output(session.Outputs[0].Name), 1e-4);
        }
    }
}
