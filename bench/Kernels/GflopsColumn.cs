using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ConvService.Bench.Kernels;

/// <summary>Throughput of a layer benchmark from its mean time and the layer's FLOP count.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "2 x multiply-adds of the layer divided by the mean time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var layer = benchmarkCase.Parameters["Layer"] as string;
        if (report?.ResultStatistics is not { } stats || layer is null || !ConvLayerCatalog.Layers.ContainsKey(layer))
        {
            return "-";
        }

        return (ConvLayerCatalog.Flops(layer) / stats.Mean).ToString("F1");
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
