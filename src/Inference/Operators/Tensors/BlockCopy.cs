namespace ConvService.Inference.Operators.Tensors;

/// <summary>
/// Concat and Split as strided block copies: a tensor viewed as [outer, axis * inner] where each input owns a
/// contiguous slice of every row.
/// </summary>
public static class BlockCopy
{
    /// <summary>Copies <paramref name="source"/> ([outer, sourceRow]) into columns starting at <paramref name="offset"/> of rows of <paramref name="destinationRow"/>.</summary>
    public static void Concat(ReadOnlySpan<float> source, int sourceRow, Span<float> destination, int destinationRow, int offset, int outer)
    {
        for (var o = 0; o < outer; o++)
        {
            source.Slice(o * sourceRow, sourceRow).CopyTo(destination.Slice(o * destinationRow + offset, sourceRow));
        }
    }

    /// <summary>Copies the columns [offset, offset + destinationRow) of every row of <paramref name="source"/> out.</summary>
    public static void Split(ReadOnlySpan<float> source, int sourceRow, Span<float> destination, int destinationRow, int offset, int outer)
    {
        for (var o = 0; o < outer; o++)
        {
            source.Slice(o * sourceRow + offset, destinationRow).CopyTo(destination.Slice(o * destinationRow, destinationRow));
        }
    }
}
