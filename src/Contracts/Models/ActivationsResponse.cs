namespace ConvService.Contracts.Models;

/// <summary>One layer's output for an uploaded image (<c>format=json</c>).</summary>
/// <param name="Model">The model name.</param>
/// <param name="Layer">The layer that was asked for.</param>
/// <param name="Shape">Batch (1) first, e.g. [1, 6, 28, 28].</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Values">Row-major values in that shape.</param>
public sealed record ActivationsResponse(string Model, string Layer, int[] Shape, float Min, float Max, float[] Values);
