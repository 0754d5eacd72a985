using System.Text.Json;

namespace ConvService.Contracts.KServe;

/// <summary>A tensor of the v2 inference protocol (input or output). Data is row-major, flat or nested.</summary>
public sealed record InferTensor(string Name, long[] Shape, string Datatype, JsonElement? Data, Dictionary<string, JsonElement>? Parameters = null);
