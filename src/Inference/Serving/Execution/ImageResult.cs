namespace ConvService.Inference.Serving.Execution;

/// <summary>Every graph output for one image: its values and its shape without the batch dimension.</summary>
public sealed record ImageResult(float[][] Outputs, int[][] OutputShapes);
