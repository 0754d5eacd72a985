using System.Text.Json.Serialization;

namespace ConvService.Contracts.Networks;

[JsonConverter(typeof(JsonStringEnumConverter<PoolMode>))]
public enum PoolMode
{
    [JsonStringEnumMemberName("max")]
    Max,

    [JsonStringEnumMemberName("avg")]
    Avg,
}
