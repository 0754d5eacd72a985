namespace ConvService.Contracts.Networks;

public sealed record NetworkComparisonEntry
{
    public required string Name { get; init; }

    public required string InputShape { get; init; }

    public required string OutputShape { get; init; }

    public long Parameters { get; init; }

    public long Weights { get; init; }

    public long Biases { get; init; }

    public long Macs { get; init; }

    public long Flops { get; init; }

    public long ActivationBytes { get; init; }

    public long TrainingActivationBytes { get; init; }

    public long ParameterBytes { get; init; }

    public int WeightLayers { get; init; }
}
