using System.Numerics;

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
    /// ONNX Runtime does). Floats for the tensors, 64-bit integers for folding constants that are integers; Max and
    /// Min are the number type's own (for floats, MathF's: a NaN wins).
    /// </summary>
    public static void Apply<T>(Span<T> output, ReadOnlySpan<T> updates, ReadOnlySpan<int> targets, ScatterReduction reduction)
        where T : INumber<T>
    {
        for (var i = 0; i < targets.Length; i++)
        {
            ref var target = ref output[targets[i]];
            target = reduction switch
            {
                ScatterReduction.Add => target + updates[i],
                ScatterReduction.Mul => target * updates[i],
                ScatterReduction.Max => T.Max(target, updates[i]),
                ScatterReduction.Min => T.Min(target, updates[i]),
                _ => updates[i],
            };
        }
    }
}
