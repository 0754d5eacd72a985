using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace ConvService.Bench.Kernels;

/// <summary>
/// This CPU's FP32 peak as the kernels can reach it: 16 independent Vector512 FMA chains per thread (enough to
/// hide FMA latency), no memory traffic. GFLOP/s = Threads * Iterations * 16 chains * 16 lanes * 2 / Mean[ns].
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

    private static float Chains(int iterations)
    {
        var m = Vector512.Create(0.999999f);
        var a = Vector512.Create(1e-7f);
        Vector512<float> c0 = Vector512.Create(1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        Vector512<float> c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
        for (var i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a);
            c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a);
            c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a);
            c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a);
            c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a);
            c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            c10 = Vector512.FusedMultiplyAdd(c10, m, a);
            c11 = Vector512.FusedMultiplyAdd(c11, m, a);
            c12 = Vector512.FusedMultiplyAdd(c12, m, a);
            c13 = Vector512.FusedMultiplyAdd(c13, m, a);
            c14 = Vector512.FusedMultiplyAdd(c14, m, a);
            c15 = Vector512.FusedMultiplyAdd(c15, m, a);
        }

        var sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15));
        return Vector512.Sum(sum);
    }
}
