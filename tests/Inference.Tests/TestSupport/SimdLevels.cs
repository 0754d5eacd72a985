namespace ConvService.Inference.Tests.TestSupport;

/// <summary>
/// The SIMD levels tests run every path at. A case for a level this CPU does not accelerate is reported as skipped
/// with the reason, never run at a narrower level under the wider one's name.
/// </summary>
public static class SimdLevels
{
    public static readonly SimdLevel[] All = [SimdLevel.Scalar, SimdLevel.Vector128, SimdLevel.Vector256, SimdLevel.Vector512];

    /// <summary>For tests that compare levels with each other inside one case; per-level cases use <see cref="All"/>.</summary>
    public static SimdLevel[] Accelerated { get; } = [.. All.Where(SimdCapabilities.IsAccelerated)];

    /// <summary>Skips the calling test (it must be a [SkippableFact] or [SkippableTheory]) when the CPU lacks the level.</summary>
    public static void Require(SimdLevel level) =>
        Skip.IfNot(
            SimdCapabilities.IsAccelerated(level),
            $"This CPU does not accelerate {level} (the widest level it runs is {SimdCapabilities.Best}); run on a machine with {Needs(level)} to exercise this path.");

    private static string Needs(SimdLevel level) => level switch
    {
        SimdLevel.Vector512 => "AVX-512F",
        SimdLevel.Vector256 => "AVX2 and FMA",
        SimdLevel.Vector128 => "ARM64 AdvSimd, or x86 FMA",
        _ => "any CPU",
    };
}
