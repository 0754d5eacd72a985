namespace ConvService.Contracts.Models;

/// <summary>How an uploaded image becomes the model's input (from model.json).</summary>
public sealed record PreprocessingDescription(string Resize, int? ResizeTo, bool Crop, bool Grayscale, string Invert, float Scale, float[] Mean, float[] Std, string ChannelOrder, string? Graph);
