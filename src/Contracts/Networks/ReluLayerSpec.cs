namespace ConvService.Contracts.Networks;

public sealed record ReluLayerSpec : LayerSpec;
