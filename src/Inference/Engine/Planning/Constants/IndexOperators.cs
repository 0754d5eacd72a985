using ConvService.Inference.Engine.Graph;

namespace ConvService.Inference.Engine.Planning.Constants;

/// <summary>Operators that pick or repeat elements: each computes, per output element, the input element it copies.</summary>
internal static class IndexOperators
{
    public static ConstantTensor[] Gather(NodeContext context)
    {
        var data = Value(context, 0);
        var indices = context.RequireConstant(1, "the indices");
        var dims = data.Dims;
        if (dims.Length == 0)
        {
            throw context.Fail("Gather needs data of rank 1 or more");
        }

        var axis = ConstantMath.Axis(context, context.Attributes.Int("axis", 0), dims.Length);
        var picks = indices.AsIntegers().Select(i => i < 0 ? i + dims[axis] : i).ToArray();
        if (picks.Any(p => p < 0 || p >= dims[axis]))
        {
            throw context.Fail($"an index is outside axis {axis} of size {dims[axis]}");
        }

        var shape = ConstantMath.Shape(context, [.. dims[..axis], .. indices.Dims, .. dims[(axis + 1)..]]);
        var outer = TensorShape.Product(dims, 0, axis);
        var inner = TensorShape.Product(dims, axis + 1, dims.Length);
        var sources = new int[ConstantMath.Count(shape)];
        var k = 0;
        for (var o = 0; o < outer; o++)
        {
            foreach (var p in picks)
            {
                for (var i = 0; i < inner; i++)
                {
                    sources[k++] = (int)(((o * dims[axis]) + p) * inner) + i;
                }
            }
        }

        return [ConstantMath.Take(data, shape, sources)];
    }

    /// <summary>Slice-1 reads starts, ends and axes from attributes; from opset 10 they (and steps) are inputs.</summary>
    public static ConstantTensor[] Slice(NodeContext context)
    {
        var data = Value(context, 0);
        var dims = data.Dims;
        long[] starts, ends;
        long[]? axes, steps = null;
        if (context.Opset < 10)
        {
            starts = context.Attributes.Ints("starts") ?? throw context.Fail("no starts given");
            ends = context.Attributes.Ints("ends") ?? throw context.Fail("no ends given");
            axes = context.Attributes.Ints("axes");
        }
        else
        {
            starts = context.RequireConstant(1, "starts").AsIntegers();
            ends = context.RequireConstant(2, "ends").AsIntegers();
            axes = context.Has(3) ? context.RequireConstant(3, "axes").AsIntegers() : null;
            steps = context.Has(4) ? context.RequireConstant(4, "steps").AsIntegers() : null;
        }

        axes ??= Enumerable.Range(0, starts.Length).Select(a => (long)a).ToArray();
        steps ??= Enumerable.Repeat(1L, starts.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
        {
            throw context.Fail("starts, ends, axes and steps differ in length");
        }

        var begin = new long[dims.Length];
        var step = Enumerable.Repeat(1L, dims.Length).ToArray();
        var shape = (int[])dims.Clone();
        for (var i = 0; i < starts.Length; i++)
        {
            var axis = ConstantMath.Axis(context, axes[i], dims.Length);
            var size = dims[axis];
            if (steps[i] == 0)
            {
                throw context.Fail("a step is 0");
            }

            // Clamped as ONNX defines it: to [0, size] going forwards, to [-1, size - 1] going backwards.
            long start = starts[i] < 0 ? starts[i] + size : starts[i], end = ends[i] < 0 ? ends[i] + size : ends[i];
            if (steps[i] > 0)
            {
                start = Math.Clamp(start, 0, size);
                end = Math.Clamp(end, 0, size);
            }
            else
            {
                start = Math.Clamp(start, -1, size - 1);
                end = Math.Clamp(end, -1, size - 1);
            }

            begin[axis] = start;
            step[axis] = steps[i];
            shape[axis] = (int)Math.Max(0, steps[i] > 0 ? (end - start + steps[i] - 1) / steps[i] : (start - end - steps[i] - 1) / -steps[i]);
        }

        var strides = ConstantMath.Strides(dims);
        var sources = new int[ConstantMath.Count(shape)];
        var index = new int[shape.Length];
        for (var k = 0; k < sources.Length; k++)
        {
            long source = 0;
            for (var d = 0; d < shape.Length; d++)
            {
                source += (begin[d] + (index[d] * step[d])) * strides[d];
            }

            sources[k] = (int)source;
            ConstantMath.Increment(index, shape);
        }

        return [ConstantMath.Take(data, shape, sources)];
    }

    public static ConstantTensor[] Concat(NodeContext context)
    {
        var parts = Enumerable.Range(0, context.InputCount).Where(context.Has).Select(i => Value(context, i)).ToArray();
        var first = parts[0].Dims;
        var axis = ConstantMath.Axis(context, context.Attributes.Int("axis", context.Opset < 4 ? 1 : 0), first.Length);
        if (parts.Any(p => p.Dims.Length != first.Length || p.Dims.Where((d, i) => i != axis && d != first[i]).Any()))
        {
            throw context.Fail($"the inputs differ outside axis {axis}");
        }

        var shape = (int[])first.Clone();
        shape[axis] = parts.Sum(p => p.Dims[axis]);
        shape = ConstantMath.Shape(context, shape);
        var outer = TensorShape.Product(shape, 0, axis);
        var integers = parts.All(p => p.Integers is not null);
        var longs = integers ? new long[ConstantMath.Count(shape)] : null;
        var floats = integers ? null : new float[ConstantMath.Count(shape)];
        var k = 0;
        for (var o = 0; o < outer; o++)
        {
            foreach (var part in parts)
            {
                var row = TensorShape.Product(part.Dims, axis, part.Dims.Length);
                if (integers)
                {
                    Array.Copy(part.Integers!, o * row, longs!, k, row);
                }
                else
                {
                    Array.Copy(part.AsFloats(), o * row, floats!, k, row);
                }

                k += row;
            }
        }

        return [integers ? ConstantTensor.OfIntegers(shape, longs!) : ConstantTensor.OfFloats(shape, floats!)];
    }

    public static ConstantTensor[] Split(NodeContext context)
    {
        var data = Value(context, 0);
        var dims = data.Dims;
        var axis = ConstantMath.Axis(context, context.Attributes.Int("axis", 0), dims.Length);
        var count = context.Node.Outputs.Length;
        var sizes = context.IntegersFromInputOrAttribute(1, "split");
        if (sizes is null)
        {
            var chunk = (dims[axis] + count - 1) / count;
            sizes = Enumerable.Range(0, count).Select(i => (long)Math.Max(0, Math.Min(chunk, dims[axis] - (i * chunk)))).ToArray();
        }

        if (sizes.Length != count || sizes.Sum() != dims[axis] || sizes.Any(s => s < 0))
        {
            throw context.Fail($"split sizes [{string.Join(", ", sizes)}] do not add up to {dims[axis]} over {count} outputs");
        }

        var results = new ConstantTensor[count];
        long offset = 0;
        for (var i = 0; i < count; i++)
        {
            var shape = (int[])dims.Clone();
            shape[axis] = (int)sizes[i];
            var strides = ConstantMath.Strides(dims);
            var sources = new int[ConstantMath.Count(shape)];
            var index = new int[shape.Length];
            for (var k = 0; k < sources.Length; k++)
            {
                long source = 0;
                for (var d = 0; d < shape.Length; d++)
                {
                    source += (index[d] + (d == axis ? offset : 0)) * strides[d];
                }

                sources[k] = (int)source;
                ConstantMath.Increment(index, shape);
            }

            results[i] = ConstantMath.Take(data, shape, sources);
            offset += sizes[i];
        }

        return results;
    }

    public static ConstantTensor[] Expand(NodeContext context)
    {
        var data = Value(context, 0);
        var target = ConstantMath.Shape(context, context.RequireConstant(1, "the shape").AsIntegers());
        var shape = ConstantMath.Shape(context, ConstantMath.Broadcast(context, data.Dims, target));
        return [ConstantMath.Take(data, shape, ConstantMath.BroadcastSources(shape, data.Dims))];
    }

    public static ConstantTensor[] Tile(NodeContext context)
    {
        var data = Value(context, 0);
        var repeats = context.RequireConstant(1, "repeats").AsIntegers();
        if (repeats.Length != data.Dims.Length || repeats.Any(r => r < 0))
        {
            throw context.Fail($"repeats [{string.Join(", ", repeats)}] must give one non-negative count per axis of {TensorShape.Format(data.Dims)}");
        }

        var shape = ConstantMath.Shape(context, data.Dims.Select((d, i) => d * repeats[i]).ToArray());
        var strides = ConstantMath.Strides(data.Dims);
        var sources = new int[ConstantMath.Count(shape)];
        var index = new int[shape.Length];
        for (var k = 0; k < sources.Length; k++)
        {
            var source = 0;
            for (var d = 0; d < shape.Length; d++)
            {
                source += index[d] % data.Dims[d] * strides[d];
            }

            sources[k] = source;
            ConstantMath.Increment(index, shape);
        }

        return [ConstantMath.Take(data, shape, sources)];
    }

    public static ConstantTensor[] Where(NodeContext context)
    {
        var condition = context.RequireConstant(0, "the condition");
        var x = Value(context, 1);
        var y = Value(context, 2);
        var shape = ConstantMath.Shape(context, ConstantMath.Broadcast(context, condition.Dims, x.Dims, y.Dims));
        var c = ConstantMath.BroadcastSources(shape, condition.Dims);
        var fromX = ConstantMath.BroadcastSources(shape, x.Dims);
        var fromY = ConstantMath.BroadcastSources(shape, y.Dims);
        var picks = condition.AsIntegers();
        if (x.Integers is not null && y.Integers is not null)
        {
            return [ConstantTensor.OfIntegers(shape, Enumerable.Range(0, c.Length).Select(i => picks[c[i]] != 0 ? x.Integers[fromX[i]] : y.Integers[fromY[i]]).ToArray())];
        }

        float[] xf = x.AsFloats(), yf = y.AsFloats();
        return [ConstantTensor.OfFloats(shape, Enumerable.Range(0, c.Length).Select(i => picks[c[i]] != 0 ? xf[fromX[i]] : yf[fromY[i]]).ToArray())];
    }

    public static ConstantTensor[] Transpose(NodeContext context)
    {
        var data = Value(context, 0);
        var dims = data.Dims;
        var perm = context.Attributes.Ints("perm")?.Select(p => (int)p).ToArray() ?? Enumerable.Range(0, dims.Length).Reverse().ToArray();
        if (perm.Length != dims.Length || perm.Order().Where((p, i) => p != i).Any())
        {
            throw context.Fail($"perm [{string.Join(", ", perm)}] is not a permutation of the {dims.Length} axes");
        }

        var shape = perm.Select(p => dims[p]).ToArray();
        var strides = ConstantMath.Strides(dims);
        var sources = new int[ConstantMath.Count(shape)];
        var index = new int[shape.Length];
        for (var k = 0; k < sources.Length; k++)
        {
            var source = 0;
            for (var d = 0; d < shape.Length; d++)
            {
                source += index[d] * strides[perm[d]];
            }

            sources[k] = source;
            ConstantMath.Increment(index, shape);
        }

        return [ConstantMath.Take(data, shape, sources)];
    }

    private static ConstantTensor Value(NodeContext context, int index) => context.RequireConstant(index, $"input {index}");
}
