using System.Text.Json.Serialization;

namespace ConvService.Contracts.Networks;

/// <summary>Where a downsampling bottleneck block puts its stride: the paper's first 1x1 conv, or the 3x3 conv (torchvision "v1.5").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResNetVariant>))]
public enum ResNetVariant
{
    [JsonStringEnumMemberName("paper")]
    Paper,

    [JsonStringEnumMemberName("v1.5")]
    V1_5,
}
