namespace ConvService.Contracts.KServe;

/// <summary>GET /v2/models/{name} answer.</summary>
public sealed record ModelMetadata(string Name, string[] Versions, string Platform, TensorMetadata[] Inputs, TensorMetadata[] Outputs);
