namespace ConvService.Inference.Simd;

/// <summary>
/// Which instruction width a kernel uses. Production code takes the widest the CPU accelerates; tests pick each
/// level explicitly so every path (filters, operators, conv and GEMM kernels) runs against its scalar reference on
/// one machine.
/// </summary>
public enum SimdLevel
{
    Scalar,

    /// <summary>Four floats: ARM64's AdvSimd, and x86 CPUs whose 256-bit paths are switched off.</summary>
    Vector128,
    Vector256,
    Vector512,
}
