using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Reduction;

/// <summary>
/// What a reduction applies to each element before combining: a reduction is a map here and an
/// <see cref="Pairwise.IAssociativeOperator"/> to combine with. The shift is the per-output value the second pass
/// of LogSumExp (the maximum) or of a variance (the mean) subtracts; the other maps ignore it.
/// </summary>
internal interface IElementMap
{
    /// <summary>True for the shifted maps: only they are handed a shift, so the others' loops never test for one.</summary>
    static virtual bool ReadsShift => false;

    static abstract float Map(float x, float shift);

    static abstract TVector Map<TVector, TWidth>(TVector x, TVector shift)
        where TVector : struct
        where TWidth : IWidth<TVector>;
}
