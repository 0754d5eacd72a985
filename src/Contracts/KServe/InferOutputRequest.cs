using System.Text.Json;

namespace ConvService.Contracts.KServe;

/// <summary>An output the client asks for; without any, all outputs are returned.</summary>
public sealed record InferOutputRequest(string Name, Dictionary<string, JsonElement>? Parameters = null);
