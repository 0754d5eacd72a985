namespace ConvService.Inference.Training;

/// <summary>One named weight or bias tensor inside a flat parameter vector, in ONNX layout.</summary>
public sealed record ParameterTensor(string Name, int Offset, int[] Shape)
{
    public int Length { get; } = Shape.Aggregate(1, (a, b) => a * b);
}
