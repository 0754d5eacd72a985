namespace ConvService.Api.KServe;

/// <summary>A v2 infer request after reading: the batch, each input's values and per-image shape in the model's order, and the outputs asked for.</summary>
public sealed record InferInputs(string? Id, int Batch, float[][] Values, int[][] ImageShapes, string[] Outputs);
