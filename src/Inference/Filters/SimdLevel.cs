namespace ConvService.Inference.Filters;

/// <summary>Which code path the filter loops use; tests pin each one, production picks the widest accelerated.</summary>
public enum SimdLevel
{
    Scalar,
    Vector256,
    Vector512,
}
