using ConvService.Inference.Engine.Graph;
using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Indexing;
using ConvService.Inference.Operators.Tensors;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>
/// Slice, Gather, Expand, Tile, DepthToSpace, SpaceToDepth and Cast on runtime tensors. All but Gather and Cast
/// are one strided read of the input (<see cref="StridedView"/>); indices, starts, shapes and repeats must be
/// constants.
/// </summary>
internal static class DataMovementPlanner
{
    public static void Slice(NodeContext context)
    {
        var x = context.Shape(0);
        long[] starts, ends;
        long[]? axesGiven, steps = null;
        if (context.Opset < 10)
        {
            starts = context.Attributes.Ints("starts") ?? throw context.Fail("no starts given");
            ends = context.Attributes.Ints("ends") ?? throw context.Fail("no ends given");
            axesGiven = context.Attributes.Ints("axes");
        }
        else
        {
            starts = context.RequireConstant(1, "starts").AsIntegers();
            ends = context.RequireConstant(2, "ends").AsIntegers();
            axesGiven = context.Has(3) ? context.RequireConstant(3, "axes").AsIntegers() : null;
            steps = context.Has(4) ? context.RequireConstant(4, "steps").AsIntegers() : null;
        }

        var axes = axesGiven?.Select(a => context.Axis(a, x.Length)).ToArray() ?? Enumerable.Range(0, starts.Length).ToArray();
        if (starts.Length != axes.Length || ends.Length != axes.Length || (steps is not null && steps.Length != axes.Length) || axes.Distinct().Count() != axes.Length)
        {
            throw context.Fail("starts, ends, axes and steps must have one value per sliced axis, each axis once");
        }

        var shape = (int[])x.Clone();
        var inputStrides = StridedView.StridesOf(x);
        var viewStrides = (int[])inputStrides.Clone();
        var offset = 0;
        for (var i = 0; i < axes.Length; i++)
        {
            var axis = axes[i];
            long dim = x[axis], step = steps?[i] ?? 1;
            if (step == 0)
            {
                throw context.Fail("a slice step is 0");
            }

            long start = starts[i] < 0 ? starts[i] + dim : starts[i];
            long end = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (step > 0)
            {
                start = Math.Clamp(start, 0, dim);
                end = Math.Clamp(end, 0, dim);
            }
            else
            {
                start = Math.Clamp(start, 0, dim - 1);
                end = Math.Clamp(end, -1, dim - 1);
            }

            var size = step > 0 ? Math.Max(0, (end - start + step - 1) / step) : Math.Max(0, (start - end - step - 1) / -step);
            shape[axis] = (int)size;
            if (size > 0)
            {
                offset += (int)start * inputStrides[axis];
            }

            viewStrides[axis] = (int)(step * inputStrides[axis]);
        }

        View(context, shape, viewStrides, offset);
    }

    public static void Gather(NodeContext context)
    {
        var x = context.Shape(0);
        var indices = context.Constant(1) ?? throw context.Fail("the indices of a Gather on a runtime tensor must be constants");
        var axis = context.Axis(context.Attributes.Int("axis", 0), x.Length);
        var picks = indices.AsIntegers().Select(i => (int)(i < 0 ? i + x[axis] : i)).ToArray();
        if (picks.Any(p => p < 0 || p >= x[axis]))
        {
            throw context.Fail($"an index is outside axis {axis} of size {x[axis]}");
        }

        int[] shape = [.. x[..axis], .. indices.Dims, .. x[(axis + 1)..]];
        var input = context.Operand(0);
        var output = context.Output(0, shape);
        context.AddStep(new GatherStep(input, output, TensorShape.Product(x, 0, axis), x[axis], TensorShape.Product(x, axis + 1, x.Length), picks));
    }

    /// <summary>
    /// GatherElements (opsets 11, 13): the output has the indices' shape, and each element comes from the input at the
    /// same position except along the axis, where the index says where. Indices must be constants, so every source
    /// offset is worked out here once.
    /// </summary>
    public static void GatherElements(NodeContext context)
    {
        var x = context.Shape(0);
        var indices = context.RequireConstant(1, "the indices");
        var axis = context.Axis(context.Attributes.Int("axis", 0), x.Length);
        var offsets = ElementOffsets.Along(x, indices.Dims, indices.AsIntegers(), axis, "GatherElements");
        context.AddStep(new IndexedCopyStep(context.Operand(0), context.Output(0, indices.Dims), offsets));
    }

    public static void Expand(NodeContext context)
    {
        var x = context.Shape(0);
        var target = context.RequireConstant(1, "the shape").AsIntegers();
        if (target.Any(d => d < 0 || d > int.MaxValue))
        {
            throw context.Fail($"shape [{string.Join(", ", target)}] has an invalid dimension");
        }

        var shape = Inference.Operators.Elementwise.BroadcastBinary.BroadcastShape(x, target.Select(d => (int)d).ToArray())
            ?? throw context.Fail($"{TensorShape.Format(x)} does not broadcast to [{string.Join(", ", target)}]");
        var strides = StridedView.StridesOf(x);
        var viewStrides = new int[shape.Length];
        for (var d = 0; d < x.Length; d++)
        {
            viewStrides[shape.Length - x.Length + d] = x[d] == 1 ? 0 : strides[d];
        }

        View(context, shape, viewStrides, 0);
    }

    public static void Tile(NodeContext context)
    {
        var x = context.Shape(0);
        var repeats = context.RequireConstant(1, "the repeats").AsIntegers();
        if (repeats.Length != x.Length || repeats.Any(r => r < 0 || r > int.MaxValue))
        {
            throw context.Fail($"repeats [{string.Join(", ", repeats)}] must be {x.Length} non-negative numbers");
        }

        var strides = StridedView.StridesOf(x);
        var viewShape = new int[2 * x.Length];
        var viewStrides = new int[2 * x.Length];
        for (var d = 0; d < x.Length; d++)
        {
            viewShape[2 * d] = (int)repeats[d];
            viewShape[(2 * d) + 1] = x[d];
            viewStrides[(2 * d) + 1] = strides[d];
        }

        var shape = x.Select((d, i) => checked(d * (int)repeats[i])).ToArray();
        View(context, shape, viewStrides, 0, viewShape);
    }

    public static void DepthToSpace(NodeContext context)
    {
        var x = context.Shape(0);
        var block = BlockSize(context, x);
        int n = x[0], c = x[1], h = x[2], w = x[3];
        if (c % (block * block) != 0)
        {
            throw context.Fail($"{c} channels do not divide into blocks of {block}x{block}");
        }

        var depth = c / (block * block);
        var plane = h * w;
        var mode = context.Attributes.String("mode", "DCR");

        // Output [N, C', H, b, W, b] read from the input viewed as [N, b, b, C', H, W] (DCR) or [N, C', b, b, H, W] (CRD).
        int[] viewStrides = mode switch
        {
            "DCR" => [c * plane, plane, w, block * depth * plane, 1, depth * plane],
            "CRD" => [c * plane, block * block * plane, w, block * plane, 1, plane],
            _ => throw context.Fail($"mode '{mode}' is not one of DCR, CRD"),
        };
        View(context, [n, depth, h * block, w * block], viewStrides, 0, [n, depth, h, block, w, block]);
    }

    public static void SpaceToDepth(NodeContext context)
    {
        var x = context.Shape(0);
        var block = BlockSize(context, x);
        int n = x[0], c = x[1], h = x[2], w = x[3];
        if (h % block != 0 || w % block != 0)
        {
            throw context.Fail($"the {h}x{w} plane does not divide into blocks of {block}x{block}");
        }

        // Output [N, b, b, C, H/b, W/b] read from the input viewed as [N, C, H/b, b, W/b, b].
        int[] viewStrides = [c * h * w, w, 1, h * w, block * w, block];
        View(context, [n, c * block * block, h / block, w / block], viewStrides, 0, [n, block, block, c, h / block, w / block]);
    }

    /// <summary>
    /// Runtime tensors are float32, so only a cast to float (or to double, computed in float) runs; constants fold to
    /// their target type.
    /// </summary>
    public static void Cast(NodeContext context)
    {
        var to = context.Attributes.Int("to", 1);
        var isFloat = to is 1 or 10 or 11 or 16;
        if (context.Constant(0) is { } constant)
        {
            context.OutputConstant(0, isFloat ? ConstantTensor.OfFloats(constant.Dims, constant.AsFloats()) : ConstantTensor.OfIntegers(constant.Dims, constant.AsIntegers()));
            return;
        }

        if (!isFloat)
        {
            throw context.Fail($"a cast of a runtime tensor to element type {to} is not supported; the engine computes in float32, so only casts to float run");
        }

        context.Alias(0, 0, context.Shape(0));
    }

    private static int BlockSize(NodeContext context, int[] x)
    {
        if (x.Length != 4)
        {
            throw context.Fail("only 4-D NCHW tensors are supported");
        }

        var block = context.Attributes.Int("blocksize", 0);
        if (block < 1 || block > 1 << 12)
        {
            throw context.Fail("blocksize must be a positive number");
        }

        return (int)block;
    }

    private static void View(NodeContext context, int[] shape, int[] viewStrides, int offset, int[]? viewShape = null)
    {
        var view = new StridedView(viewShape ?? shape, viewStrides, offset);
        var input = context.Operand(0);
        var output = context.Output(0, shape);
        context.AddStep(new StridedViewStep(view, input, output));
    }
}
