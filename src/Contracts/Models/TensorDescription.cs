namespace ConvService.Contracts.Models;

/// <summary>A graph input or output.</summary>
/// <param name="Name">Its name in the ONNX graph.</param>
/// <param name="Shape">Dimensions; the first is the batch, -1 when the model accepts any batch.</param>
public sealed record TensorDescription(string Name, int[] Shape);
