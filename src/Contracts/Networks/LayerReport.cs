namespace ConvService.Contracts.Networks;

/// <summary>
/// One row of a network report. Shapes read as the lecture writes them (height x width x depth, e.g. "55x55x96");
/// the *Dims members give [channels, height, width]. A block row (inception, residual, branches) sums the weights
/// and multiply-accumulates of its inner rows, which follow it with a higher <see cref="Level"/>.
/// </summary>
public sealed record LayerReport
{
    /// <summary>"input", a top-level index ("3") or a path into a block ("5.1.0" = layer 5, branch 1, layer 0).</summary>
    public required string Index { get; init; }

    public required string Name { get; init; }

    public required string Type { get; init; }

    /// <summary>0 for top-level layers, +1 per enclosing block.</summary>
    public int Level { get; init; }

    public bool IsBlock { get; init; }

    public required string InputShape { get; init; }

    public required string OutputShape { get; init; }

    public required IReadOnlyList<int> InputDims { get; init; }

    public required IReadOnlyList<int> OutputDims { get; init; }

    public long Weights { get; init; }

    public long Biases { get; init; }

    /// <summary>Learnable parameters: weights + biases (BatchNorm: scale + shift).</summary>
    public long Parameters { get; init; }

    /// <summary>Values in this layer's output for one image.</summary>
    public long Activations { get; init; }

    /// <summary><see cref="Activations"/> x 4 (float32).</summary>
    public long ActivationBytes { get; init; }

    /// <summary>True when the output can overwrite the input (ReLU, dropout, flatten, softmax), so it adds no memory to the totals.</summary>
    public bool InPlace { get; init; }

    /// <summary>Multiply-accumulates for one image (conv, local and fc layers; 0 elsewhere).</summary>
    public long Macs { get; init; }

    /// <summary>Height of the input region one output value sees, in input pixels.</summary>
    public long ReceptiveFieldHeight { get; init; }

    public long ReceptiveFieldWidth { get; init; }

    /// <summary>Distance in input pixels between neighbouring outputs (the product of strides so far).</summary>
    public long JumpHeight { get; init; }

    public long JumpWidth { get; init; }

    /// <summary>The worked output-size arithmetic, e.g. "(227 - 11)/4 + 1 = 55".</summary>
    public required string Formula { get; init; }

    /// <summary>The worked parameter arithmetic, e.g. "(11*11*3)*96 = 34,848 weights + 96 biases"; empty when none.</summary>
    public string ParameterFormula { get; init; } = "";
}
