using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvService.Inference.Kernels.Gemm;

/// <summary>Chooses the widest accelerated level, and never a level the CPU would only emulate.</summary>
public static class SimdDispatch
{
    public static SimdLevel Best { get; } =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? SimdLevel.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? SimdLevel.Vector256
        : SimdLevel.Scalar;

    /// <summary>The requested level capped by what the CPU supports; null means the best.</summary>
    public static SimdLevel Resolve(SimdLevel? requested) =>
        requested is { } level && level < Best ? level : Best;
}
