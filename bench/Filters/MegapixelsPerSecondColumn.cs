using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ConvService.Bench.Filters;

/// <summary>Image megapixels filtered per second (all channels of a pixel count once), from the mean time.</summary>
public sealed class MegapixelsPerSecondColumn(double megapixelsPerOperation) : IColumn
{
    public string Id => nameof(MegapixelsPerSecondColumn);

    public string ColumnName => "MP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Megapixels per second: {megapixelsPerOperation:0.####} MP per operation / mean time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return meanNanoseconds is > 0 ? (megapixelsPerOperation / (meanNanoseconds.Value * 1e-9)).ToString("0.0") : "-";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
