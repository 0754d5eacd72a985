namespace ConvService.Inference.Operators.Indexing;

/// <summary>How ScatterND and ScatterElements combine an update with the value already at its target.</summary>
internal enum ScatterReduction
{
    None,
    Add,
    Mul,
    Max,
    Min,
}

internal static class ScatterReductions
{
    /// <summary>The reduction attribute's value, or null when ONNX defines no such reduction.</summary>
    public static ScatterReduction? Parse(string name) => name switch
    {
        "none" => ScatterReduction.None,
        "add" => ScatterReduction.Add,
        "mul" => ScatterReduction.Mul,
        "max" => ScatterReduction.Max,
        "min" => ScatterReduction.Min,
        _ => null,
    };

    /// <summary>
    /// Applies every update to its target in order, so repeated targets accumulate (or, with none, the last wins, as
    /// ONNX Runtime does).
    /// </summary>
    public static void Apply(Span<float> output, ReadOnlySpan<float> updates, ReadOnlySpan<int> targets, ScatterReduction reduction)
    {
        for (var i = 0; i < targets.Length; i++)
        {
            ref var target = ref output[targets[i]];
            target = reduction switch
            {
                ScatterReduction.Add => target + updates[i],
                ScatterReduction.Mul => target * updates[i],
                ScatterReduction.Max => MathF.Max(target, updates[i]),
                ScatterReduction.Min => MathF.Min(target, updates[i]),
                _ => updates[i],
            };
        }
    }

    /// <summary>The same over 64-bit integers, for folding constants that are integers.</summary>
    public static void Apply(Span<long> output, ReadOnlySpan<long> updates, ReadOnlySpan<int> targets, ScatterReduction reduction)
    {
        for (var i = 0; i < targets.Length; i++)
        {
            ref var target = ref output[targets[i]];
            target = reduction switch
            {
                ScatterReduction.Add => target + updates[i],
                ScatterReduction.Mul => target * updates[i],
                ScatterReduction.Max => Math.Max(target, updates[i]),
                ScatterReduction.Min => Math.Min(target, updates[i]),
                _ => updates[i],
            };
        }
    }
}
