namespace ConvService.Contracts.Networks;

public sealed record FlattenLayerSpec : LayerSpec;
