namespace ConvService.Inference.Engine.Graph;

/// <summary>
/// A runtime input of the graph. Any dimension may be symbolic: Dims holds -1 there and Symbols its name (Symbols
/// is null where the dimension is fixed). Dimension 0 is the batch.
/// </summary>
internal sealed record GraphInput(string Name, int[] Dims, string?[] Symbols)
{
    public string? BatchSymbol => Symbols.Length > 0 ? Symbols[0] : null;

    /// <summary>A dimension other than the batch is symbolic, so the input's size per image is chosen per request.</summary>
    public bool HasSymbolicImageDims => Dims.Skip(1).Any(d => d < 0);
}
