namespace ConvService.Contracts.KServe;

/// <summary>GET /v2 answer.</summary>
public sealed record ServerMetadata(string Name, string Version, string[] Extensions);
