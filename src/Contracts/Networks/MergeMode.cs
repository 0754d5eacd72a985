using System.Text.Json.Serialization;

namespace ConvService.Contracts.Networks;

/// <summary>How the outputs of parallel branches are joined: stacked along depth, or summed element-wise.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MergeMode>))]
public enum MergeMode
{
    [JsonStringEnumMemberName("concat")]
    Concat,

    [JsonStringEnumMemberName("add")]
    Add,
}
