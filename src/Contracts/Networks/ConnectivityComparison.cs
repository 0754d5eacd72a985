namespace ConvService.Contracts.Networks;

/// <summary>
/// The lecture's opening comparison: one hidden layer over an image wired fully, locally (one patch per unit,
/// unshared) or convolutionally (shared filters). The lecture's local and conv figures leave out the input depth;
/// both its figure and the exact one (depth included) are given. Bias counts are separate.
/// </summary>
public sealed record ConnectivityComparison
{
    public required IReadOnlyList<int> InputDims { get; init; }

    public int HiddenUnits { get; init; }

    public int Patch { get; init; }

    public int Filters { get; init; }

    public long FullyConnectedWeights { get; init; }

    public long LocallyConnectedWeightsLecture { get; init; }

    public long LocallyConnectedWeights { get; init; }

    public long ConvolutionalWeightsLecture { get; init; }

    public long ConvolutionalWeights { get; init; }

    public long FullyConnectedBiases { get; init; }

    public long LocallyConnectedBiases { get; init; }

    public long ConvolutionalBiases { get; init; }

    public required IReadOnlyList<string> Formulas { get; init; }
}
