using ConvService.Inference.Onnx;
using ConvService.Inference.Tests.TestSupport;
using static ConvService.Inference.Onnx.OnnxGraphBuilder;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>
/// Forms from before opset 7, which ONNX Runtime no longer loads, checked against their definitions: attributes
/// that later became inputs or were renamed, and broadcasting along an axis.
/// </summary>
public sealed class LegacyOpsetTests
{
    [Fact]
    public void ReshapeBeforeOpset5TakesItsShapeAsAnAttribute()
    {
        var b = new OnnxGraphBuilder(opset: 4);
        var x = b.Input("x", [1, 2, 3, 2]);
        b.Output(b.Node("Reshape", "reshape", [x], [1, 12], Ints("shape", 1, -1)));
        using var session = OnnxModel.Load(b.ToBytes()).CreateSession();
        var input = Accuracy.Random(12, seed: 3);
        session.Run(input);
        Assert.Equal([1, 12], session.Outputs[0].Shape);
        Assert.Equal(input, session.Output("reshape").ToArray());
    }

    [Fact]
    public void PadAtOpset1ReadsPaddings()
    {
        var b = new OnnxGraphBuilder(opset: 1);
        var x = b.Input("x", [1, 1, 1, 2]);
        b.Output(b.Node("Pad", "pad", [x], [1, 1, 2, 3], Ints("paddings", 0, 0, 1, 0, 0, 0, 0, 1), Float("value", 9f)));
        using var session = OnnxModel.Load(b.ToBytes()).CreateSession();
        session.Run([1f, 2f]);
        Assert.Equal([9f, 9f, 9f, 1f, 2f, 9f], session.Output("pad").ToArray());
    }

    [Fact]
    public void AddBeforeOpset7BroadcastsAlongTheGivenAxis()
    {
        var b = new OnnxGraphBuilder(opset: 6);
        var x = b.Input("x", [1, 2, 1, 3]);
        var bias = b.Initializer("bias", [2], [10f, 20f]);
        b.Output(b.Node("Add", "add", [x, bias], [1, 2, 1, 3], Int("broadcast", 1), Int("axis", 1)));
        using var session = OnnxModel.Load(b.ToBytes()).CreateSession();
        session.Run([1f, 2f, 3f, 4f, 5f, 6f]);
        Assert.Equal([11f, 12f, 13f, 24f, 25f, 26f], session.Output("add").ToArray());
    }

    [Fact]
    public void ModelsFromOpset1To22Load()
    {
        foreach (var opset in new[] { 1, 6, 7, 13, 22 })
        {
            var b = new OnnxGraphBuilder(opset: opset);
            b.Output(b.Relu(b.Input("x", [1, 3])));
            Assert.Single(OnnxModel.Load(b.ToBytes()).Layers);
        }

        var newer = new OnnxGraphBuilder(opset: 23);
        newer.Output(newer.Relu(newer.Input("x", [1, 3])));
        Assert.Contains("opset 23", Assert.Throws<ConvService.Inference.Errors.ConvServiceException>(() => OnnxModel.Load(newer.ToBytes())).Message);
    }
}
