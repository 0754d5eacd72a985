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
    int DegreeOfParallelism = 0);
