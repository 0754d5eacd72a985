using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ConvService.Tools.Arm64Runner;

/// <summary>What the runtime sees of the CPU: under emulation this is the evidence that the ARM64 paths ran.</summary>
internal static class CapabilityReport
{
    public static void Print()
    {
        Console.WriteLine($"process architecture: {RuntimeInformation.ProcessArchitecture}, runtime {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"accelerated: Vector128 {Vector128.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, Vector512 {Vector512.IsHardwareAccelerated}");
        Console.WriteLine($"ARM64: AdvSimd {AdvSimd.IsSupported}, AdvSimd.Arm64 {AdvSimd.Arm64.IsSupported}");
        Console.WriteLine($"x86: SSE4.2 {Sse42.IsSupported}, AVX2 {Avx2.IsSupported}, FMA {Fma.IsSupported}, AVX-512F {Avx512F.IsSupported}");
        Console.WriteLine($"engine: widest SIMD level {SimdCapabilities.Best}");
    }
}
