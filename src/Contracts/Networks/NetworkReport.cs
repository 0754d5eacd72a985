namespace ConvService.Contracts.Networks;

public sealed record NetworkReport
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public required string InputShape { get; init; }

    public required string OutputShape { get; init; }

    public required IReadOnlyList<int> InputDims { get; init; }

    public required IReadOnlyList<int> OutputDims { get; init; }

    public FitMode Fit { get; init; }

    public ResNetVariant ResNetVariant { get; init; }

    public required IReadOnlyList<LayerReport> Layers { get; init; }

    public required NetworkTotals Totals { get; init; }

    /// <summary>How the figures are counted (BatchNorm parameters, in-place layers, the training estimate).</summary>
    public required IReadOnlyList<string> Notes { get; init; }
}
