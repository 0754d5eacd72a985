namespace ConvService.Inference.Filters;

/// <summary>
/// Where a filter's output comes from: its size, the border added on each side and the stride, plus the worked
/// output-size formula per axis so a caller can see why the output has this size.
/// </summary>
public sealed record OutputGeometry(
    int OutWidth,
    int OutHeight,
    int PadTop,
    int PadLeft,
    int PadBottom,
    int PadRight,
    int Stride,
    string WidthFormula,
    string HeightFormula);
