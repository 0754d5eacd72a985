using ConvService.Inference.Simd;

namespace ConvService.Bench;

/// <summary>
/// The SIMD level a benchmark runs at: CONVSERVICE_BENCH_SIMD (Vector128, Vector256, Vector512 or Scalar) when set,
/// otherwise the widest this CPU accelerates. An environment variable reaches BenchmarkDotNet's child processes,
/// which command-line arguments do not; a level the CPU lacks stops the run instead of running a narrower one.
/// </summary>
internal static class BenchLevel
{
    public static SimdLevel Current { get; } =
        Environment.GetEnvironmentVariable("CONVSERVICE_BENCH_SIMD") is { Length: > 0 } name
            ? SimdCapabilities.Require(Enum.Parse<SimdLevel>(name, ignoreCase: true))
            : SimdCapabilities.Best;
}
