namespace ConvService.Inference.Networks;

/// <summary>The output length along one axis, the padding actually applied, and the worked arithmetic.</summary>
internal readonly record struct AxisFit(int Output, int PadBefore, int PadAfter, string Formula);
