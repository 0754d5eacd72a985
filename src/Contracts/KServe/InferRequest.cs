using System.Text.Json;

namespace ConvService.Contracts.KServe;

/// <summary>POST /v2/models/{name}/infer body.</summary>
public sealed record InferRequest(string? Id, InferTensor[]? Inputs, InferOutputRequest[]? Outputs, Dictionary<string, JsonElement>? Parameters = null);
