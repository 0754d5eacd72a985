namespace ConvService.Contracts.Networks;

public sealed record SoftmaxLayerSpec : LayerSpec;
