using System.Text.Json.Serialization;

namespace ConvService.Contracts.KServe;

/// <summary>POST /v2/models/{name}/infer answer.</summary>
public sealed record InferResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    [property: JsonPropertyName("id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    [property: JsonPropertyName("outputs")] InferOutputTensor[] Outputs);
