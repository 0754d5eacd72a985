using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Pairwise;

/// <summary>A function of two elements in scalar and vector form, as a type parameter of the broadcast drivers.</summary>
internal interface IPairwiseOperator
{
    /// <summary>False for functions with no vector form here: the driver runs the scalar one at every width.</summary>
    static virtual bool Vectorised => true;

    static abstract float Invoke(float a, float b);

    static abstract TVector Invoke<TVector, TWidth>(TVector a, TVector b)
        where TVector : struct
        where TWidth : IWidth<TVector>;
}
