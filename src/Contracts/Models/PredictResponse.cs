namespace ConvService.Contracts.Models;

/// <summary>The top classes for an uploaded image, most probable first.</summary>
/// <param name="Model">The model name.</param>
/// <param name="Version">The model's version.</param>
/// <param name="Predictions">The most probable classes, best first.</param>
/// <param name="ElapsedMs">Preprocessing, waiting and running, in milliseconds.</param>
public sealed record PredictResponse(string Model, string Version, Prediction[] Predictions, double ElapsedMs);
