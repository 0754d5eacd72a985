namespace ConvService.Inference.Simd;

/// <summary>
/// One vector width as a type parameter: a loop written once against these members runs at 128, 256 or 512 bits,
/// and the JIT specialises each instantiation so the calls disappear. Max and Min follow MathF (NaN propagates,
/// -0 below +0), so every width agrees with the scalar reference element for element.
/// </summary>
internal interface IWidth<TVector>
    where TVector : struct
{
    static abstract int Count { get; }

    static abstract bool IsAccelerated { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Create(float value);

    static abstract TVector Load(ref float source, nuint offset);

    static abstract void Store(TVector value, ref float destination, nuint offset);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Subtract(TVector a, TVector b);

    static abstract TVector Multiply(TVector a, TVector b);

    static abstract TVector Divide(TVector a, TVector b);

    /// <summary>a * b + c, rounded once.</summary>
    static abstract TVector FusedMultiplyAdd(TVector a, TVector b, TVector c);

    static abstract TVector Negate(TVector value);

    static abstract TVector Abs(TVector value);

    static abstract TVector Sqrt(TVector value);

    static abstract TVector Floor(TVector value);

    static abstract TVector Ceiling(TVector value);

    /// <summary>Rounds half to even, as ONNX Round does.</summary>
    static abstract TVector Round(TVector value);

    static abstract TVector Max(TVector a, TVector b);

    static abstract TVector Min(TVector a, TVector b);

    static abstract TVector CopySign(TVector value, TVector sign);

    /// <summary>min(max(value, low), high) in the instruction set's cheapest form: what a NaN becomes is unspecified.</summary>
    static abstract TVector ClampNative(TVector value, TVector low, TVector high);

    /// <summary>
    /// Lane i of the result is lane indices[offset + i] of value: Count ints read from memory, each in [0, Count).
    /// One instruction where the CPU has a variable permute (vpermilps, vpermps, AdvSimd's table lookup).
    /// </summary>
    static abstract TVector PermuteVar(TVector value, ref int indices, nuint offset);

    /// <summary>e^x by <see cref="VectorMath.Exp{TVector, TWidth}"/>.</summary>
    static abstract TVector Exp(TVector value);

    /// <summary>value * 2^exponent for integral exponents in [-126, 127] (others are unspecified), through the float's exponent bits.</summary>
    static abstract TVector ScaleByPowerOfTwo(TVector value, TVector exponent);

    static abstract TVector Log(TVector value);

    static abstract TVector Sin(TVector value);

    static abstract TVector Cos(TVector value);

    /// <summary>All bits set where a &gt; b.</summary>
    static abstract TVector GreaterThan(TVector a, TVector b);

    static abstract TVector LessThan(TVector a, TVector b);

    static abstract TVector Equal(TVector a, TVector b);

    static abstract TVector IsNaN(TVector value);

    static abstract TVector ConditionalSelect(TVector mask, TVector whenTrue, TVector whenFalse);

    /// <summary>The sum of the lanes (an order of additions the scalar reference does not share: compare with a tolerance).</summary>
    static abstract float Sum(TVector value);

    /// <summary>The largest lane, NaN if any lane is NaN.</summary>
    static abstract float MaxAcross(TVector value);

    static abstract float MinAcross(TVector value);

    static abstract float ProductAcross(TVector value);
}
