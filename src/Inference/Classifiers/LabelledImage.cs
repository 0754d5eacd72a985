using ConvService.Inference.Filters;

namespace ConvService.Inference.Classifiers;

/// <summary>One training image (planes of 0..255, gray, RGB or RGBA) and the name of its class.</summary>
public sealed record LabelledImage(string Label, FloatImage Image);
