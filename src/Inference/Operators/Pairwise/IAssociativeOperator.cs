using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Pairwise;

/// <summary>
/// A pairwise function that folds a set of values in any order: what a reduction or a pooling window combines
/// with. Identity is where a fold starts; Across folds the lanes of one vector.
/// </summary>
internal interface IAssociativeOperator : IPairwiseOperator
{
    static abstract float Identity { get; }

    static abstract float Across<TVector, TWidth>(TVector value)
        where TVector : struct
        where TWidth : IWidth<TVector>;
}
