using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Pooling;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>MaxPool, AveragePool and LpPool over 1-D (NCW, as height 1), 2-D (NCHW) and 3-D (NCDHW) tensors, and the global pools.</summary>
internal static class PoolPlanner
{
    public static void Pool(NodeContext context)
    {
        var x = context.Shape(0);
        if (x.Length is not (3 or 4 or 5))
        {
            throw context.Fail("only 1-D, 2-D and 3-D pooling (input rank 3, 4 or 5) are supported");
        }

        if (context.Node.Outputs.Length > 1 && context.OutputUsed(1))
        {
            throw context.Fail("the Indices output of MaxPool is not supported");
        }

        var spatial = x.Length - 2;
        var a = context.Attributes;
        var kernel = a.Ints("kernel_shape");
        if (kernel is null || kernel.Length != spatial || kernel.Any(k => k < 1))
        {
            throw context.Fail($"kernel_shape must be {spatial} positive numbers");
        }

        var strides = a.Ints("strides") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var dilations = a.Ints("dilations") ?? Enumerable.Repeat(1L, spatial).ToArray();
        if (strides.Length != spatial || dilations.Length != spatial || strides.Any(s => s < 1) || dilations.Any(d => d < 1))
        {
            throw context.Fail($"strides and dilations must be {spatial} positive numbers");
        }

        var ceil = a.Int("ceil_mode", 0) != 0;
        var pads = WindowPadding.Resolve(context, x[2..], kernel.Select(k => (int)k).ToArray(), strides, dilations);
        if (spatial == 3)
        {
            Volume(context, x, kernel, strides, dilations, pads, ceil);
            return;
        }
        if (spatial == 1)
        {
            // 1-D runs as 2-D with a plane of height 1.
            kernel = [1, kernel[0]];
            strides = [1, strides[0]];
            dilations = [1, dilations[0]];
            pads = [0, pads[0], 0, pads[1]];
        }

        int inH = spatial == 1 ? 1 : x[2], inW = x[^1];
        var outH = PoolGeometry.OutputSize(inH, (int)kernel[0], (int)strides[0], pads[0], pads[2], (int)dilations[0], ceil);
        var outW = PoolGeometry.OutputSize(inW, (int)kernel[1], (int)strides[1], pads[1], pads[3], (int)dilations[1], ceil);
        if (outH < 1 || outW < 1)
        {
            throw context.Fail($"the {kernel[0]}x{kernel[1]} window does not fit the {inH}x{inW} input");
        }

        var geometry = new PoolGeometry(
            inH, inW, outH, outW, (int)kernel[0], (int)kernel[1], (int)strides[0], (int)strides[1],
            pads[0], pads[1], pads[2], pads[3], (int)dilations[0], (int)dilations[1]);
        var kind = context.Node.OpType switch
        {
            "MaxPool" => PoolStep.Kind.Max,
            "AveragePool" => PoolStep.Kind.Average,
            _ => PoolStep.Kind.Lp,
        };
        var input = context.Slot(0);
        var output = context.Output(0, spatial == 1 ? [x[0], x[1], outW] : [x[0], x[1], outH, outW]);
        context.AddStep(new PoolStep(geometry, kind, a.Int("count_include_pad", 0) != 0, input, output, x[0] * x[1], context.Options.Simd, Norm(context)));
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

        var kind = context.Node.OpType switch
        {
            "GlobalMaxPool" => PoolStep.Kind.Max,
            "GlobalAveragePool" => PoolStep.Kind.Average,
            _ => PoolStep.Kind.Lp,
        };
        var input = context.Slot(0);
        var output = context.Output(0, shape);
        context.AddStep(new GlobalPoolStep(kind, input, output, x[0] * x[1], TensorShape.Product(x, 2, x.Length), context.Options.Simd, Norm(context)));
    }

    /// <summary>LpPool's p: an integer from opset 2, a float in opset 1.</summary>
    private static float Norm(NodeContext context)
    {
        var a = context.Attributes;
        float p = a.Int("p", 0) is var integer and not 0 ? integer : a.Float("p", 2f);
        return p > 0 ? p : throw context.Fail($"p must be positive (was {p})");
    }

    private static void Volume(NodeContext context, int[] x, long[] kernel, long[] strides, long[] dilations, int[] pads, bool ceil)
    {
        var outSize = new int[3];
        for (var i = 0; i < 3; i++)
        {
            outSize[i] = PoolGeometry.OutputSize(x[2 + i], (int)kernel[i], (int)strides[i], pads[i], pads[3 + i], (int)dilations[i], ceil);
            if (outSize[i] < 1)
            {
                throw context.Fail($"the window does not fit spatial axis {i} of the input");
            }
        }

        var geometry = new VolumePoolGeometry(
            x[2..], outSize, [.. kernel.Select(k => (int)k)], [.. strides.Select(s => (int)s)], [.. dilations.Select(d => (int)d)], pads[..3], pads[3..]);
        var input = context.Slot(0);
        var output = context.Output(0, [x[0], x[1], .. outSize]);
        var lpNorm = context.Node.OpType == "LpPool" ? Norm(context) : 0f;
        context.AddStep(new VolumePoolStep(geometry, context.Node.OpType == "MaxPool", context.Attributes.Int("count_include_pad", 0) != 0, lpNorm, input, output, x[0] * x[1]));
    }
}
