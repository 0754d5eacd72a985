namespace ConvService.Contracts.Networks;

/// <summary>Built-in names and/or full specs to compare side by side; names come first in the answer.</summary>
public sealed record NetworkCompareRequest
{
    public IReadOnlyList<string>? Names { get; init; }

    public IReadOnlyList<NetworkSpec>? Specs { get; init; }

    public FitMode? Fit { get; init; }

    public ResNetVariant? ResNetVariant { get; init; }
}
