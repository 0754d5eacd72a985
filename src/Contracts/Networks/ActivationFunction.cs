using System.Text.Json.Serialization;

namespace ConvService.Contracts.Networks;

[JsonConverter(typeof(JsonStringEnumConverter<ActivationFunction>))]
public enum ActivationFunction
{
    [JsonStringEnumMemberName("relu")]
    Relu,

    [JsonStringEnumMemberName("leakyrelu")]
    LeakyRelu,

    [JsonStringEnumMemberName("elu")]
    Elu,

    [JsonStringEnumMemberName("gelu")]
    Gelu,

    [JsonStringEnumMemberName("silu")]
    Silu,

    [JsonStringEnumMemberName("sigmoid")]
    Sigmoid,

    [JsonStringEnumMemberName("tanh")]
    Tanh,
}
