using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace ConvService.Bench.Kernels;

/// <summary>
/// This CPU's FP32 peak as the kernels can reach it: 12 independent Vector512 FMA chains per thread (enough to
/// hide FMA latency), no memory traffic. GFLOP/s = Threads * Iterations * 12 chains * 16 lanes * 2 / Mean[ns].
/// </summary>
public class PeakFlopsBenchmarks
{
    public const int Iterations = 4_000_000;

    [Params(1, 2)]
    public int Threads { get; set; }

    [Benchmark]
    public float Fma512()
    {
        if (Threads == 1)
        {
            return Chains(Iterations);
        }

        var results = new float[Threads];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t => results[t] = Chains(Iterations));
        return results.Sum();
    }

    /// <summary>Twelve independent FMA chains on 512-bit vectors, shared with the FMA peak probe.</summary>
    private static float Chains(int iterations) => FmaPeakProbe.Chains512(iterations);
}
