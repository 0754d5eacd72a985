using System.Runtime.CompilerServices;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Pairwise;

/// <summary>
/// How <see cref="PairwiseDriver"/> reads one operand: element by element from a span, or one value broadcast to
/// every position. A type parameter, so each combination compiles to its own loop with no test inside it.
/// </summary>
internal interface IOperandShape
{
    /// <summary>What the vector loop holds for the whole row: the broadcast value, or nothing for a span.</summary>
    static abstract TVector Splat<TVector, TWidth>(ref float first)
        where TVector : struct
        where TWidth : IWidth<TVector>;

    static abstract TVector Load<TVector, TWidth>(ref float first, nuint offset, TVector splat)
        where TVector : struct
        where TWidth : IWidth<TVector>;

    static abstract float Element(ref float first, int index);
}

/// <summary>A span read element by element.</summary>
internal readonly struct SpanOperand : IOperandShape
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Splat<TVector, TWidth>(ref float first)
        where TVector : struct
        where TWidth : IWidth<TVector> => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Load<TVector, TWidth>(ref float first, nuint offset, TVector splat)
        where TVector : struct
        where TWidth : IWidth<TVector> => TWidth.Load(ref first, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Element(ref float first, int index) => Unsafe.Add(ref first, index);
}

/// <summary>One value standing for every position.</summary>
internal readonly struct BroadcastOperand : IOperandShape
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Splat<TVector, TWidth>(ref float first)
        where TVector : struct
        where TWidth : IWidth<TVector> => TWidth.Create(first);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Load<TVector, TWidth>(ref float first, nuint offset, TVector splat)
        where TVector : struct
        where TWidth : IWidth<TVector> => splat;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Element(ref float first, int index) => first;
}
