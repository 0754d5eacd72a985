using System.Runtime.Intrinsics;
using ConvService.Inference.Simd;

namespace ConvService.Bench.Kernels;

/// <summary>
/// This machine's FP32 FMA peak at each vector width, on 1 and 2 threads: 12 independent FMA chains per thread
/// (enough to hide the FMA latency on every core we run on, two FMA pipes of latency 4 needing 8), no memory traffic.
/// Twelve chains and their two operands fit the 16 vector registers an x86 CPU without AVX-512 has: with 16 chains,
/// Vector256 measured 63 GFLOP/s on one core with AVX-512 turned off against 107 with it on (32 registers). Each thread times itself in its own
/// CPU time (a shared host takes whole time slices away, which wall time would count), and the best of several
/// repetitions is the peak; two threads run at once, so what they share (clocks, a core's sibling) is counted.
/// Run: dotnet run -c Release --project bench -- --fma-peak [repetitions].
/// </summary>
public static class FmaPeakProbe
{
    private const int Iterations = 2_000_000;
    private const int Chains = 12;

    public static void Run(string[] args)
    {
        var repetitions = args.Length > 0 ? int.Parse(args[0]) : 15;
        Console.WriteLine($"FMA peak, {Chains} chains x {Iterations:N0} iterations per thread, best of {repetitions}");
        Console.WriteLine($"  Vector512 accelerated: {Vector512.IsHardwareAccelerated}, Vector256: {Vector256.IsHardwareAccelerated}, Vector128: {Vector128.IsHardwareAccelerated}");
        foreach (var threads in new[] { 1, 2 })
        {
            if (Vector512.IsHardwareAccelerated)
            {
                Report("Vector512", threads, 16, Measure(threads, repetitions, Chains512));
            }

            if (Vector256.IsHardwareAccelerated)
            {
                Report("Vector256", threads, 8, Measure(threads, repetitions, FmaChains<Vector256<float>, Width256>));
            }

            if (Vector128.IsHardwareAccelerated)
            {
                Report("Vector128", threads, 4, Measure(threads, repetitions, FmaChains<Vector128<float>, Width128>));
            }
        }
    }

    private static void Report(string width, int threads, int lanes, double[] seconds)
    {
        var flops = (double)Iterations * Chains * lanes * 2;
        var gflops = seconds.Sum(s => flops / s) / 1e9;
        var times = string.Join(", ", seconds.Select(s => $"{s * 1e3:F2}"));
        Console.WriteLine($"  {width} {threads} thread(s): best CPU ms per thread {times}  {gflops,6:F1} GFLOP/s");
    }

    /// <summary>Each thread's best CPU time over the repetitions, all threads running the full chain count at once.</summary>
    private static double[] Measure(int threads, int repetitions, Func<int, float> body)
    {
        body(1000);
        var best = Enumerable.Repeat(double.MaxValue, threads).ToArray();
        var sums = new float[threads];
        for (var r = 0; r < repetitions; r++)
        {
            var workers = new Thread[threads];
            for (var t = 0; t < threads; t++)
            {
                var index = t;
                workers[t] = new Thread(() =>
                {
                    var start = CpuClock.ThreadSeconds();
                    sums[index] += body(Iterations);
                    best[index] = Math.Min(best[index], CpuClock.ThreadSeconds() - start);
                });
                workers[t].Start();
            }

            foreach (var worker in workers)
            {
                worker.Join();
            }
        }

        // The sums keep the chains from being optimised away.
        return sums.Any(float.IsNaN) ? [.. best.Select(b => b * 2)] : best;
    }

    internal static float Chains512(int iterations) => FmaChains<Vector512<float>, Width512>(iterations);

    /// <summary>
    /// 12 independent chains at one width, written once: the JIT specialises each instantiation, so every chain is a
    /// register and every step one FMA instruction.
    /// </summary>
    private static float FmaChains<TVector, TWidth>(int iterations)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var m = TWidth.Create(0.999999f);
        var a = TWidth.Create(1e-7f);
        TVector c0 = TWidth.Create(1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        TVector c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (var i = 0; i < iterations; i++)
        {
            c0 = TWidth.FusedMultiplyAdd(c0, m, a);
            c1 = TWidth.FusedMultiplyAdd(c1, m, a);
            c2 = TWidth.FusedMultiplyAdd(c2, m, a);
            c3 = TWidth.FusedMultiplyAdd(c3, m, a);
            c4 = TWidth.FusedMultiplyAdd(c4, m, a);
            c5 = TWidth.FusedMultiplyAdd(c5, m, a);
            c6 = TWidth.FusedMultiplyAdd(c6, m, a);
            c7 = TWidth.FusedMultiplyAdd(c7, m, a);
            c8 = TWidth.FusedMultiplyAdd(c8, m, a);
            c9 = TWidth.FusedMultiplyAdd(c9, m, a);
            c10 = TWidth.FusedMultiplyAdd(c10, m, a);
            c11 = TWidth.FusedMultiplyAdd(c11, m, a);
        }

        var sum = TWidth.Add(
            TWidth.Add(TWidth.Add(TWidth.Add(c0, c1), TWidth.Add(c2, c3)), TWidth.Add(TWidth.Add(c4, c5), TWidth.Add(c6, c7))),
            TWidth.Add(TWidth.Add(c8, c9), TWidth.Add(c10, c11)));
        var lanes = new float[TWidth.Count];
        TWidth.Store(sum, ref lanes[0], 0);
        return lanes.Sum();
    }
}
