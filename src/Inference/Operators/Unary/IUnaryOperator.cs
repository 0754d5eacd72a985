using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Unary;

/// <summary>
/// One element-wise function in scalar and vector form. Structs carry their parameters (alpha, beta) as fields;
/// the drivers take the operator as a type parameter, so each instantiation is compiled with its body inlined.
/// </summary>
internal interface IUnaryOperator
{
    /// <summary>False for functions with no vector form here: the driver then runs the scalar one at every width.</summary>
    static abstract bool Vectorised { get; }

    float Invoke(float x);

    TVector Invoke<TVector, TWidth>(TVector x)
        where TVector : struct
        where TWidth : IWidth<TVector>;
}
