using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ConvService.Inference.Simd;

/// <summary>
/// The one place that reads the CPU: the widest level it accelerates, read once per process. Kernels are handed a
/// level by their plan and refuse one the CPU would only emulate, so a test that asks for a level this machine lacks
/// is told so instead of silently running a narrower path.
/// </summary>
public static class SimdCapabilities
{
    /// <summary>
    /// Vector512 needs AVX-512F (the direct convolution tiles use its intrinsics); Vector256 needs FMA as well as AVX2,
    /// since the GEMM and convolution tiles are written with fused multiply-adds. Vector128 needs a fused
    /// multiply-add too (AdvSimd has one on every ARM64 CPU; on x86 it is FMA): without the instruction the runtime
    /// computes each lane's fused multiply-add in software, so an SSE-only CPU stays on the scalar path.
    /// </summary>
    public static SimdLevel Best { get; } =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? SimdLevel.Vector512
        : Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported ? SimdLevel.Vector256
        : Vector128.IsHardwareAccelerated && (AdvSimd.Arm64.IsSupported || Fma.IsSupported) ? SimdLevel.Vector128
        : SimdLevel.Scalar;

    public static bool IsAccelerated(SimdLevel level) => level <= Best;

    /// <summary>The level itself when this CPU accelerates it; otherwise an exception naming what the CPU offers.</summary>
    public static SimdLevel Require(SimdLevel level) =>
        IsAccelerated(level)
            ? level
            : throw new PlatformNotSupportedException($"This CPU does not accelerate {level}; the widest level it runs is {Best}.");
}
