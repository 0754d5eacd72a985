using ConvService.Inference.Errors;

namespace ConvService.Inference.Filters;

/// <summary>
/// How to run a filter. <paramref name="Pad"/> is used only with <see cref="PaddingMode.Explicit"/>;
/// <paramref name="FitFloor"/> drops the last partial window instead of refusing a stride that does not fit.
/// </summary>
/// <param name="DegreeOfParallelism">Most cores used on large images; 0 means <see cref="Environment.ProcessorCount"/>.</param>
public sealed record FilterSettings(
    FilterOp Op = FilterOp.Correlate,
    BorderMode Border = BorderMode.Reflect101,
    PaddingMode Padding = PaddingMode.Same,
    int Pad = 0,
    int Stride = 1,
    bool FitFloor = false,
    int DegreeOfParallelism = 0)
{
    /// <summary>
    /// Refuses values no image could make valid (stride below 1, negative pad or parallelism). Measuring a filter
    /// calls this; a caller may call it earlier to refuse a request before reading its image.
    /// </summary>
    public FilterSettings Check()
    {
        if (Stride < 1)
        {
            throw ConvServiceException.InvalidInput("Invalid stride", $"Stride {Stride} is not allowed: the stride is the step between output pixels and must be 1 or more.");
        }

        if (Pad < 0)
        {
            throw ConvServiceException.InvalidInput("Invalid padding", $"Pad {Pad} is negative: give the number of border pixels to add on each side, 0 or more.");
        }

        if (DegreeOfParallelism < 0)
        {
            throw ConvServiceException.InvalidInput("Invalid parallelism", $"Degree of parallelism {DegreeOfParallelism} is negative: use 0 for all cores or a positive core count.");
        }

        return this;
    }
}
