using System.Text.Json.Serialization;

namespace ConvService.Contracts.Networks;

[JsonConverter(typeof(JsonStringEnumConverter<ResidualBlockKind>))]
public enum ResidualBlockKind
{
    /// <summary>Two 3x3 convs (ResNet-18/34).</summary>
    [JsonStringEnumMemberName("basic")]
    Basic,

    /// <summary>1x1 reduce, 3x3, 1x1 expand (ResNet-50/101/152).</summary>
    [JsonStringEnumMemberName("bottleneck")]
    Bottleneck,
}
