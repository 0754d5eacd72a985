using ConvService.Inference.Engine.Graph;
using ConvService.Inference.Onnx.Proto;

namespace ConvService.Inference.Engine.Planning.Constants;

/// <summary>
/// Element-wise arithmetic, comparisons, Cast and the simple reductions on constants. Integers are computed in 64 bits
/// (Div truncates, as C does), floats in 32; comparisons and logic give 0/1 integers, which is how booleans are held.
/// </summary>
internal static class ArithmeticOperators
{
    public static ConstantTensor[] Binary(NodeContext context)
    {
        var a = context.RequireConstant(0, "input 0");
        var b = context.RequireConstant(1, "input 1");
        return [Combine(context, context.Node.OpType, a, b)];
    }

    public static ConstantTensor[] Variadic(NodeContext context)
    {
        var inputs = Enumerable.Range(0, context.InputCount).Where(context.Has).Select(i => context.RequireConstant(i, $"input {i}")).ToArray();
        var op = context.Node.OpType == "Sum" ? "Add" : context.Node.OpType;
        var result = inputs[0];
        foreach (var next in inputs.Skip(1))
        {
            result = Combine(context, op, result, next);
        }

        return [result];
    }

    public static ConstantTensor[] Unary(NodeContext context)
    {
        var x = context.RequireConstant(0, "the input");
        var op = context.Node.OpType;
        if (x.Integers is { } integers && op is "Neg" or "Abs" or "Not" or "Sign" or "Floor" or "Ceil" or "Round")
        {
            Func<long, long> f = op switch
            {
                "Neg" => v => -v,
                "Abs" => Math.Abs,
                "Not" => v => v == 0 ? 1 : 0,
                "Sign" => v => Math.Sign(v),
                _ => v => v,
            };
            return [ConstantTensor.OfIntegers(x.Dims, Array.ConvertAll(integers, v => f(v)))];
        }

        Func<float, float> g = op switch
        {
            "Neg" => v => -v,
            "Abs" => MathF.Abs,
            "Sign" => v => MathF.Sign(v),
            "Floor" => MathF.Floor,
            "Ceil" => MathF.Ceiling,
            "Round" => v => MathF.Round(v, MidpointRounding.ToEven),
            "Sqrt" => MathF.Sqrt,
            "Reciprocal" => v => 1f / v,
            _ => throw context.Fail($"{op} is not defined on floats"),
        };
        return [ConstantTensor.OfFloats(x.Dims, Array.ConvertAll(x.AsFloats(), v => g(v)))];
    }

    /// <summary>Cast to a float type gives floats, to an integer or boolean type integers (truncated, wrapped to the type's width).</summary>
    public static ConstantTensor[] Cast(NodeContext context)
    {
        var x = context.RequireConstant(0, "the input");
        var to = (TensorProto.Types.DataType)context.Attributes.Int("to", 0);
        if (to is TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Double or TensorProto.Types.DataType.Float16 or TensorProto.Types.DataType.Bfloat16)
        {
            return [ConstantTensor.OfFloats(x.Dims, x.AsFloats())];
        }

        Func<long, long> wrap = to switch
        {
            TensorProto.Types.DataType.Int64 or TensorProto.Types.DataType.Uint64 => v => v,
            TensorProto.Types.DataType.Int32 => v => (int)v,
            TensorProto.Types.DataType.Uint32 => v => (uint)v,
            TensorProto.Types.DataType.Int16 => v => (short)v,
            TensorProto.Types.DataType.Uint16 => v => (ushort)v,
            TensorProto.Types.DataType.Int8 => v => (sbyte)v,
            TensorProto.Types.DataType.Uint8 => v => (byte)v,
            TensorProto.Types.DataType.Bool => v => v != 0 ? 1 : 0,
            _ => throw context.Fail($"casting to {to} is not supported"),
        };
        if (x.Integers is { } integers)
        {
            return [ConstantTensor.OfIntegers(x.Dims, Array.ConvertAll(integers, v => wrap(v)))];
        }

        var floats = x.Floats!;
        return [ConstantTensor.OfIntegers(x.Dims, Array.ConvertAll(floats, v => to == TensorProto.Types.DataType.Bool ? (v != 0 ? 1L : 0L) : wrap(Truncate(v))))];
    }

    public static ConstantTensor[] Reduce(NodeContext context)
    {
        var x = context.RequireConstant(0, "the input");
        var dims = x.Dims;
        var axesValues = context.IntegersFromInputOrAttribute(1, "axes");
        var keep = context.Attributes.Int("keepdims", 1) != 0;
        if (axesValues is null or { Length: 0 } && context.Attributes.Int("noop_with_empty_axes", 0) != 0)
        {
            return [x];
        }

        var axes = (axesValues is null or { Length: 0 } ? Enumerable.Range(0, dims.Length) : axesValues.Select(a => context.Axis(a, dims.Length))).ToHashSet();
        var outShape = dims.Select((d, i) => axes.Contains(i) ? 1 : d).ToArray();
        var shape = keep ? outShape : dims.Where((d, i) => !axes.Contains(i)).ToArray();
        var count = ConstantMath.Count(outShape);
        var outStrides = ConstantMath.Strides(outShape);
        var targets = new int[x.Length];
        var index = new int[dims.Length];
        for (var k = 0; k < targets.Length; k++)
        {
            var target = 0;
            for (var d = 0; d < dims.Length; d++)
            {
                target += axes.Contains(d) ? 0 : index[d] * outStrides[d];
            }

            targets[k] = target;
            ConstantMath.Increment(index, dims);
        }

        var op = context.Node.OpType;
        if (x.Integers is { } integers)
        {
            long seed = op switch { "ReduceProd" => 1, "ReduceMin" => long.MaxValue, "ReduceMax" => long.MinValue, _ => 0 };
            var acc = Enumerable.Repeat(seed, count).ToArray();
            for (var k = 0; k < integers.Length; k++)
            {
                ref var r = ref acc[targets[k]];
                r = op switch { "ReduceProd" => r * integers[k], "ReduceMin" => Math.Min(r, integers[k]), "ReduceMax" => Math.Max(r, integers[k]), _ => r + integers[k] };
            }

            return [ConstantTensor.OfIntegers(shape, acc)];
        }

        var floats = x.Floats!;
        float fseed = op switch { "ReduceProd" => 1, "ReduceMin" => float.PositiveInfinity, "ReduceMax" => float.NegativeInfinity, _ => 0 };
        var facc = Enumerable.Repeat(fseed, count).ToArray();
        for (var k = 0; k < floats.Length; k++)
        {
            ref var r = ref facc[targets[k]];
            r = op switch { "ReduceProd" => r * floats[k], "ReduceMin" => MathF.Min(r, floats[k]), "ReduceMax" => MathF.Max(r, floats[k]), _ => r + floats[k] };
        }

        return [ConstantTensor.OfFloats(shape, facc)];
    }

    private static ConstantTensor Combine(NodeContext context, string op, ConstantTensor a, ConstantTensor b)
    {
        var shape = ConstantMath.Shape(context, ConstantMath.Broadcast(context, a.Dims, b.Dims));
        var fromA = ConstantMath.BroadcastSources(shape, a.Dims);
        var fromB = ConstantMath.BroadcastSources(shape, b.Dims);
        var result = new long[fromA.Length];
        if (a.Integers is { } x && b.Integers is { } y)
        {
            var fmod = context.Attributes.Int("fmod", 0) != 0;
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = Integer(context, op, x[fromA[i]], y[fromB[i]], fmod);
            }

            return ConstantTensor.OfIntegers(shape, result);
        }

        float[] fa = a.AsFloats(), fb = b.AsFloats();
        if (op is "Equal" or "Less" or "LessOrEqual" or "Greater" or "GreaterOrEqual" or "And" or "Or" or "Xor")
        {
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = Compare(op, fa[fromA[i]], fb[fromB[i]]) ? 1 : 0;
            }

            return ConstantTensor.OfIntegers(shape, result);
        }

        var values = new float[fromA.Length];
        for (var i = 0; i < values.Length; i++)
        {
            float p = fa[fromA[i]], q = fb[fromB[i]];
            values[i] = op switch
            {
                "Add" => p + q,
                "Sub" => p - q,
                "Mul" => p * q,
                "Div" => p / q,
                "Mod" => context.Attributes.Int("fmod", 0) != 0 ? p % q : p - (q * MathF.Floor(p / q)),
                "Pow" => MathF.Pow(p, q),
                "Min" => MathF.Min(p, q),
                "Max" => MathF.Max(p, q),
                _ => throw context.Fail($"{op} is not defined on floats"),
            };
        }

        return ConstantTensor.OfFloats(shape, values);
    }

    private static long Integer(NodeContext context, string op, long p, long q, bool fmod) => op switch
    {
        "Add" => p + q,
        "Sub" => p - q,
        "Mul" => p * q,
        "Div" => q == 0 ? throw context.Fail("an integer division by zero") : p / q,
        "Mod" when q == 0 => throw context.Fail("an integer modulo by zero"),
        "Mod" => fmod ? p % q : ((p % q) + q) % q,
        "Pow" => (long)Math.Pow(p, q),
        "Min" => Math.Min(p, q),
        "Max" => Math.Max(p, q),
        _ => Compare(op, p, q) ? 1 : 0,
    };

    private static bool Compare<T>(string op, T p, T q)
        where T : System.Numerics.INumber<T> => op switch
        {
            "Equal" => p == q,
            "Less" => p < q,
            "LessOrEqual" => p <= q,
            "Greater" => p > q,
            "GreaterOrEqual" => p >= q,
            "And" => p != T.Zero && q != T.Zero,
            "Or" => p != T.Zero || q != T.Zero,
            "Xor" => (p != T.Zero) != (q != T.Zero),
            _ => false,
        };

    /// <summary>Float to integer as C casts it: toward zero; NaN and out-of-range values saturate instead of being undefined.</summary>
    private static long Truncate(float v) => float.IsNaN(v) ? 0 : v >= 9.2233720368547758E18f ? long.MaxValue : v <= -9.2233720368547758E18f ? long.MinValue : (long)v;
}
