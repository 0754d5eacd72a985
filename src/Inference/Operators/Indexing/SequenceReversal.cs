using ConvService.Inference.Engine.Planning;
using ConvService.Inference.Operators.Tensors;

namespace ConvService.Inference.Operators.Indexing;

/// <summary>
/// ReverseSequence: along the time axis, the first sequence_lens[b] elements of batch entry b come in reverse order;
/// the rest are copied as they are.
/// </summary>
internal static class SequenceReversal
{
    /// <summary>For every output element, the input element it copies.</summary>
    public static int[] Sources(int[] shape, long[] lengths, int batchAxis, int timeAxis)
    {
        if (lengths.Length != shape[batchAxis])
        {
            throw new PlanningException($"sequence_lens has {lengths.Length} entries but the batch axis {batchAxis} has {shape[batchAxis]}");
        }

        if (lengths.Any(l => l < 0 || l > shape[timeAxis]))
        {
            throw new PlanningException($"a sequence length is outside 0 to the time axis's {shape[timeAxis]}");
        }

        var strides = StridedView.StridesOf(shape);
        var sources = new int[shape.Aggregate(1, (p, d) => p * d)];
        var position = new int[shape.Length];
        for (var i = 0; i < sources.Length; i++)
        {
            var t = position[timeAxis];
            var length = (int)lengths[position[batchAxis]];
            sources[i] = t < length ? i + (((length - 1 - t) - t) * strides[timeAxis]) : i;
            for (var d = shape.Length - 1; d >= 0 && ++position[d] == shape[d]; d--)
            {
                position[d] = 0;
            }
        }

        return sources;
    }
}
