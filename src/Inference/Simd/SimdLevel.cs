namespace ConvService.Inference.Simd;

/// <summary>
/// Which instruction width a kernel uses. Production code takes the widest the CPU accelerates; tests pick each
/// level explicitly so every path (filters, operators, conv and GEMM kernels) runs against its scalar reference on
/// one machine.
/// </summary>
public enum SimdLevel
{
    Scalar,
    Vector256,
    Vector512,
}
