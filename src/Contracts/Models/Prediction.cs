namespace ConvService.Contracts.Models;

/// <summary>One class of a classification.</summary>
/// <param name="Label">The class name.</param>
/// <param name="Index">Its position in the model output.</param>
/// <param name="Probability">Softmax probability, 0..1.</param>
public sealed record Prediction(string Label, int Index, float Probability);
