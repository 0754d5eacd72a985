using ConvService.Inference.Filters;

namespace ConvService.Api.Images;

/// <summary>An upload decoded to float planes, with the format it came in.</summary>
public sealed record DecodedImage(FloatImage Planes, string Format, int Width, int Height);
