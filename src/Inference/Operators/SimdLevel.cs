namespace ConvService.Inference.Operators;

/// <summary>Which instruction width a kernel uses; tests force each level to check every path against the scalar one.</summary>
public enum SimdLevel
{
    Scalar,
    Vector256,
    Vector512,
}
