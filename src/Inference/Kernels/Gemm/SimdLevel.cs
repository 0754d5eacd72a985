namespace ConvService.Inference.Kernels.Gemm;

/// <summary>
/// Which instruction width a kernel uses. Production code takes the widest the CPU accelerates; tests pick each
/// level explicitly so every path runs on one machine.
/// </summary>
public enum SimdLevel
{
    Scalar,
    Vector256,
    Vector512,
}
