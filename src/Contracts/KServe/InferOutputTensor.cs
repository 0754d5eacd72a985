namespace ConvService.Contracts.KServe;

/// <summary>An output tensor of an infer response, flat row-major data.</summary>
public sealed record InferOutputTensor(string Name, long[] Shape, string Datatype, float[] Data);
