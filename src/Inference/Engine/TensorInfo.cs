namespace ConvService.Inference.Engine;

/// <summary>
/// A model input or output. Shape[0] is the batch; when the model leaves it symbolic, BatchSymbol names it and the
/// shape shows the batch the listing was planned for.
/// </summary>
public sealed record TensorInfo(string Name, IReadOnlyList<int> Shape, string? BatchSymbol)
{
    public int ElementsPerImage => Shape.Skip(1).Aggregate(1, (p, d) => p * d);
}
