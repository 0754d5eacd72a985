namespace ConvService.Contracts.Networks;

/// <summary>An element-wise non-linearity other than (or including) ReLU.</summary>
public sealed record ActivationLayerSpec : LayerSpec
{
    public ActivationFunction Function { get; init; } = ActivationFunction.Relu;
}
