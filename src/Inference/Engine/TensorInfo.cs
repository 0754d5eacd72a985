namespace ConvService.Inference.Engine;

/// <summary>
/// A model input or output. Shape[0] is the batch; when the model leaves it symbolic, BatchSymbol names it and the
/// shape shows the batch the listing was planned for. Other dimensions are -1 where the model leaves them open
/// (a symbolic image size, or an output that follows one); a session's tensors always have concrete shapes.
/// </summary>
public sealed record TensorInfo(string Name, IReadOnlyList<int> Shape, string? BatchSymbol)
{
    /// <summary>A dimension after the batch is open (-1): its size is chosen per session or request.</summary>
    public bool IsDynamic => Shape.Skip(1).Any(d => d < 0);

    /// <summary>Values per image, or -1 when <see cref="IsDynamic"/>.</summary>
    public int ElementsPerImage => IsDynamic ? -1 : Shape.Skip(1).Aggregate(1, (p, d) => p * d);
}
