using ConvService.Inference.Operators.Elementwise;
using ConvService.Inference.Operators.Pooling;
using ConvService.Inference.Operators.Reduction;
using ConvService.Inference.Simd;

namespace ConvService.Bench.Engine;

/// <summary>
/// Runs the width-generic reduction, pairwise and pooling loops once per accelerated width, so the JIT compiles
/// every instantiation: run under DOTNET_JitDisasm to read their machine code (docs/kernels.md).
/// </summary>
public static class OperatorPaths
{
    public static void Run()
    {
        var rng = new Random(1);
        var data = new float[64 * 64];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = rng.NextSingle();
        }

        var output = new float[data.Length];
        var scratch = new float[data.Length];
        var rows = ReductionPlan.Create([64, 64], new HashSet<int> { 1 });
        var columns = ReductionPlan.Create([64, 64], new HashSet<int> { 0 });
        var pool = new PoolGeometry(64, 64, 62, 62, 3, 3, 1, 1, 0, 0, 0, 0);
        var pool2 = new PoolGeometry(64, 64, 31, 31, 3, 3, 2, 2, 0, 0, 1, 1);
        foreach (var level in new[] { SimdLevel.Vector128, SimdLevel.Vector256, SimdLevel.Vector512 }.Where(SimdCapabilities.IsAccelerated))
        {
            foreach (var kind in new[] { ReductionKind.Sum, ReductionKind.Max, ReductionKind.L2, ReductionKind.LogSumExp })
            {
                rows.Execute(kind, data, output, scratch, level);
                columns.Execute(kind, data, output, scratch, level);
            }

            BinaryRowKernel.Run(BinaryKind.Mul, data, false, data, false, output, level);
            BinaryRowKernel.Run(BinaryKind.Add, data, false, data.AsSpan(0, 1), true, output, level);
            BinaryRowKernel.Run(BinaryKind.Sub, data.AsSpan(0, 1), true, data, false, output, level);
            PoolKernel.Max(pool, data, output, 1, level);
            PoolKernel.Average(pool2, data, output, 1, countIncludePad: false, level);
            Console.WriteLine($"{level}: {output[10]} {rows.OutputLength}");
        }
    }
}
