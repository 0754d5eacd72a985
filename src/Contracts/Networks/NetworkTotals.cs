namespace ConvService.Contracts.Networks;

/// <summary>Whole-network sums for one image; every count is exact.</summary>
public sealed record NetworkTotals
{
    public long Weights { get; init; }

    public long Biases { get; init; }

    public long Parameters { get; init; }

    /// <summary><see cref="Parameters"/> x 4 (float32).</summary>
    public long ParameterBytes { get; init; }

    /// <summary>Input plus every layer output that needs its own buffer (in-place layers excluded), one image, forward only.</summary>
    public long Activations { get; init; }

    public long ActivationBytes { get; init; }

    /// <summary>The lecture's rule of thumb for training: forward activations x 2 (their gradients are kept for backward).</summary>
    public long TrainingActivationBytes { get; init; }

    public long Macs { get; init; }

    /// <summary>2 x <see cref="Macs"/> (a multiply and an add each).</summary>
    public long Flops { get; init; }

    /// <summary>Layers after expanding blocks (block rows themselves not counted).</summary>
    public int Layers { get; init; }

    /// <summary>Conv, local and fc layers: the "weight layers" the VGG paper counts.</summary>
    public int WeightLayers { get; init; }
}
