using System.Text.Json.Serialization;

namespace ConvService.Contracts.Networks;

/// <summary>
/// A GoogLeNet inception module given by the columns of the paper's table: 1x1; 1x1 reduce then 3x3; 1x1 reduce
/// then 5x5; 3x3 max pool then 1x1 projection; concatenated along depth. A zero count leaves that conv out.
/// </summary>
public sealed record InceptionLayerSpec : LayerSpec
{
    [JsonPropertyName("n1x1")]
    public required int OneByOne { get; init; }

    [JsonPropertyName("n3x3reduce")]
    public required int ThreeByThreeReduce { get; init; }

    [JsonPropertyName("n3x3")]
    public required int ThreeByThree { get; init; }

    [JsonPropertyName("n5x5reduce")]
    public required int FiveByFiveReduce { get; init; }

    [JsonPropertyName("n5x5")]
    public required int FiveByFive { get; init; }

    [JsonPropertyName("poolProj")]
    public required int PoolProjection { get; init; }
}
