using ConvService.Inference.Errors;
using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using Google.Protobuf;
using ConvService.Inference.Tests.TestSupport;
using static ConvService.Inference.Onnx.OnnxGraphBuilder;

namespace ConvService.Inference.Tests.Engine;

/// <summary>
/// Tensors with a zero dimension, which ONNX allows: they plan and run, produce empty outputs of the right shape, feed
/// a Concat beside a non-empty part, and are refused naming the node where an operator would build a non-empty
/// result from them. Negative dimensions stay refused.
/// </summary>
public sealed class EmptyTensorTests
{
    [Fact]
    public void ADeclaredZeroBatchReshapesWithAllowZero()
    {
        var b = new OnnxGraphBuilder(opset: 14);
        var x = b.Input("x", [0, 3, 4]);
        var reshaped = b.Node("Reshape", "reshape", [x, b.IntegerInitializer("shape", [3, 4, 0])], [3, 4, 0], Int("allowzero", 1));
        b.Output(b.Relu(b.Node("Transpose", "transpose", [reshaped], [0, 4, 3], Ints("perm", 2, 1, 0))));
        var model = OnnxModel.Load(b.ToBytes());
        Assert.Equal([0, 3, 4], model.Inputs[0].Shape);

        using var session = model.CreateSession([[0, 3, 4]]);
        session.Run(ReadOnlySpan<float>.Empty);
        Assert.Equal([0, 4, 3], session.Outputs[0].Shape);
        Assert.Equal(0, session.Output(session.Outputs[0].Name).Length);
    }

    [Fact]
    public void AnOpenDimensionOfZeroRunsMatMulElementwiseAndSoftmaxToAnEmptyOutput()
    {
        var b = new OnnxGraphBuilder(seed: 3, opset: 13);
        var x = b.Input("x", [1, 2, -1, 5]);
        var product = b.Node("MatMul", "project", [x, b.Initializer("w", [5, 4], b.RandomValues(20, 1f))], [1, 2, -1, 4]);
        var transposed = b.Node("Transpose", "transpose", [b.Relu(product)], [1, 4, -1, 2], Ints("perm", 0, 3, 2, 1));
        var y = b.Add(transposed, b.Initializer("bias", [4, 1, 1], [1f, 2f, 3f, 4f]));
        b.Output(b.Softmax(y, axis: 1));
        var model = OnnxModel.Load(WithOpenDimensions(b));

        using var session = model.CreateSession([[1, 2, 0, 5]]);
        session.Run(ReadOnlySpan<float>.Empty);
        Assert.Equal([1, 4, 0, 2], session.Outputs[0].Shape);
        Assert.Equal(0, session.Output(session.Outputs[0].Name).Length);
    }

    [Fact]
    public void AnEmptyPartOfAConcatCopiesNothing()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var empty = b.Input("a", [2, -1]);
        var full = b.Input("b", [2, 3]);
        b.Output(b.Node("Concat", "concat", [b.Relu(empty), full], [2, 3], Int("axis", 1)));
        var model = OnnxModel.Load(WithOpenDimensions(b));

        using var session = model.CreateSession([[2, 0], [2, 3]]);
        float[] values = [1, -2, 3, 4, 5, -6];
        values.CopyTo(session.Input("b"));
        session.Run();
        Assert.Equal([2, 3], session.Outputs[0].Shape);
        Assert.Equal(values, session.Output(session.Outputs[0].Name).ToArray());
    }

    [Fact]
    public void AReductionOfAnEmptyAxisIsRefusedNamingTheNode()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [2, -1]);
        b.Output(b.Node("ReduceSum", "total", [x, b.IntegerInitializer("axes", [1])], [2], Int("keepdims", 0)));
        var model = OnnxModel.Load(WithOpenDimensions(b));

        var error = Assert.Throws<ConvServiceException>(() => model.CreateSession([[2, 0]]));
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Contains("'total' (ReduceSum)", error.Message);
        Assert.Contains("input 'x' is empty ([2, 0])", error.Message);
    }

    [Fact]
    public void NegativeDimensionsAreStillRefused()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [1, -1]);
        b.Output(b.Relu(x));
        var model = OnnxModel.Load(WithOpenDimensions(b));

        var error = Assert.Throws<ConvServiceException>(() => model.CreateSession([[1, -2]]));
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Contains("negative", error.Message);
    }

    /// <summary>The model with every -1 the builder was given in an input or output shape made a named, open dimension.</summary>
    private static byte[] WithOpenDimensions(OnnxGraphBuilder b)
    {
        var model = b.Build();
        foreach (var value in model.Graph.Input.Concat(model.Graph.Output))
        {
            var dims = value.Type.TensorType.Shape.Dim;
            for (var i = 0; i < dims.Count; i++)
            {
                if (dims[i].DimValue < 0)
                {
                    dims[i] = new TensorShapeProto.Types.Dimension { DimParam = $"{value.Name}_{i}" };
                }
            }
        }

        return model.ToByteArray();
    }
}
