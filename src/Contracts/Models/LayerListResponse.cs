namespace ConvService.Contracts.Models;

/// <summary>The layers whose activations can be asked for.</summary>
public sealed record LayerListResponse(string Model, LayerDescription[] Layers);
