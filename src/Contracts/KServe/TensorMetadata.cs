namespace ConvService.Contracts.KServe;

/// <summary>An input or output in model metadata; -1 marks a variable dimension (the batch).</summary>
public sealed record TensorMetadata(string Name, string Datatype, long[] Shape);
