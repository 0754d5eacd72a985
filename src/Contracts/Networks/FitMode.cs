using System.Text.Json.Serialization;

namespace ConvService.Contracts.Networks;

/// <summary>
/// What to do when (N - F + 2P)/S + 1 is not whole: refuse (the lecture's "doesn't fit"), or round down and
/// ignore the last rows and columns as PyTorch and Caffe do.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<FitMode>))]
public enum FitMode
{
    [JsonStringEnumMemberName("exact")]
    Exact,

    [JsonStringEnumMemberName("floor")]
    Floor,
}
