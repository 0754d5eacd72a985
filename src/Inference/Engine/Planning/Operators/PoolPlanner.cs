using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Pooling;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>MaxPool, AveragePool and the global pools over 4-D NCHW tensors.</summary>
internal static class PoolPlanner
{
    public static void Pool(NodeContext context)
    {
        var x = context.Shape(0);
        if (x.Length != 4)
        {
            throw context.Fail("only 2-D pooling over 4-D NCHW tensors is supported");
        }

        if (context.Node.Outputs.Length > 1 && context.OutputUsed(1))
        {
            throw context.Fail("the Indices output of MaxPool is not supported");
        }

        var a = context.Attributes;
        var kernel = a.Ints("kernel_shape");
        if (kernel is null || kernel.Length != 2 || kernel.Any(k => k < 1))
        {
            throw context.Fail("kernel_shape must be two positive numbers");
        }

        var strides = a.Ints("strides") ?? [1, 1];
        var isMax = context.Node.OpType == "MaxPool";
        var dilations = (isMax ? a.Ints("dilations") : null) ?? [1, 1];
        var ceil = a.Int("ceil_mode", 0) != 0;
        var pads = WindowPadding.Resolve(context, [x[2], x[3]], [(int)kernel[0], (int)kernel[1]], strides, dilations);
        var outH = PoolGeometry.OutputSize(x[2], (int)kernel[0], (int)strides[0], pads[0], pads[2], (int)dilations[0], ceil);
        var outW = PoolGeometry.OutputSize(x[3], (int)kernel[1], (int)strides[1], pads[1], pads[3], (int)dilations[1], ceil);
        if (outH < 1 || outW < 1)
        {
            throw context.Fail($"the {kernel[0]}x{kernel[1]} window does not fit the {x[2]}x{x[3]} input");
        }

        var geometry = new PoolGeometry(
            x[2], x[3], outH, outW, (int)kernel[0], (int)kernel[1], (int)strides[0], (int)strides[1],
            pads[0], pads[1], pads[2], pads[3], (int)dilations[0], (int)dilations[1]);
        var input = context.Slot(0);
        var output = context.Output(0, [x[0], x[1], outH, outW]);
        context.AddStep(new PoolStep(geometry, isMax, a.Int("count_include_pad", 0) != 0, input, output, x[0] * x[1]));
    }

    public static void GlobalPool(NodeContext context)
    {
        var x = context.Shape(0);
        if (x.Length < 3)
        {
            throw context.Fail("global pooling needs an input of rank 3 or more (N, C, spatial...)");
        }

        var shape = (int[])x.Clone();
        for (var d = 2; d < shape.Length; d++)
        {
            shape[d] = 1;
        }

        var input = context.Slot(0);
        var output = context.Output(0, shape);
        context.AddStep(new GlobalPoolStep(context.Node.OpType == "GlobalMaxPool", input, output, x[0] * x[1], TensorShape.Product(x, 2, x.Length)));
    }
}
