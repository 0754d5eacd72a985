using System.Runtime.Intrinsics;

namespace ConvService.Inference.Operators;

/// <summary>The widest vector path this CPU runs fast, chosen once per process.</summary>
public static class SimdSupport
{
    public static SimdLevel Best { get; } =
        Vector512.IsHardwareAccelerated ? SimdLevel.Vector512
        : Vector256.IsHardwareAccelerated ? SimdLevel.Vector256
        : SimdLevel.Scalar;

    /// <summary>Caps a requested level at what the hardware accelerates, so tests can ask for any level safely.</summary>
    public static SimdLevel Clamp(SimdLevel requested) => requested > Best ? Best : requested;
}
