using ConvService.Inference.Training;

namespace ConvService.Tools.TrainLeNet;

/// <summary>A seeded shuffle of all digits cut into a training part and a held-out part.</summary>
public static class DigitSplit
{
    public static (DigitSet Training, DigitSet HeldOut) Split(DigitSet all, int heldOutCount, int seed)
    {
        var order = Enumerable.Range(0, all.Count).ToArray();
        new Random(seed).Shuffle(order);
        return (Take(all, order.AsSpan(heldOutCount)), Take(all, order.AsSpan(0, heldOutCount)));
    }

    private static DigitSet Take(DigitSet all, ReadOnlySpan<int> indices)
    {
        var size = all.Rows * all.Columns;
        var labels = new byte[indices.Length];
        var pixels = new byte[indices.Length * size];
        for (var i = 0; i < indices.Length; i++)
        {
            labels[i] = all.Labels[indices[i]];
            all.Image(indices[i]).CopyTo(pixels.AsSpan(i * size, size));
        }

        return new DigitSet(labels, pixels, all.Rows, all.Columns);
    }
}
