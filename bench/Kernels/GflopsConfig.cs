using BenchmarkDotNet.Configs;

namespace ConvService.Bench.Kernels;

/// <summary>Adds the GFLOP/s column (2 x multiply-adds / mean time) to the layer benchmarks.</summary>
public sealed class GflopsConfig : ManualConfig
{
    public GflopsConfig() => AddColumn(new GflopsColumn());
}
