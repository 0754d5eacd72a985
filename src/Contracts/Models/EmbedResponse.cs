namespace ConvService.Contracts.Models;

/// <summary>The feature vector of an uploaded image.</summary>
/// <param name="Model">The model name.</param>
/// <param name="Version">The model's version.</param>
/// <param name="Dimensions">Length of Embedding.</param>
/// <param name="Embedding">The model's output for the image, flattened.</param>
/// <param name="ElapsedMs">Preprocessing, waiting and running, in milliseconds.</param>
public sealed record EmbedResponse(string Model, string Version, int Dimensions, float[] Embedding, double ElapsedMs);
