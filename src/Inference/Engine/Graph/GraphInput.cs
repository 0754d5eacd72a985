namespace ConvService.Inference.Engine.Graph;

/// <summary>A runtime input of the graph. Dimension 0 is the batch; it may be symbolic (BatchSymbol set, Dims[0] = -1).</summary>
internal sealed record GraphInput(string Name, int[] Dims, string? BatchSymbol);
