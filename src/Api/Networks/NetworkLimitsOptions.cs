using System.ComponentModel.DataAnnotations;
using ConvService.Inference.Networks;

namespace ConvService.Api.Networks;

/// <summary>Upper bounds on network specs; bound from <c>ConvService:Networks</c> and checked at start-up.</summary>
public sealed class NetworkLimitsOptions
{
    public const string Section = "ConvService:Networks";

    /// <summary>Most layers in one network after blocks are expanded (ResNet-152 has about 520).</summary>
    [Range(1, 1_000_000)]
    public int MaxLayers { get; set; } = 5_000;

    /// <summary>Most learnable parameters in one network (VGG-19 has 144 million).</summary>
    [Range(1, long.MaxValue / 8)]
    public long MaxParameters { get; set; } = 10_000_000_000;

    /// <summary>Deepest nesting of blocks (branches inside branches).</summary>
    [Range(1, 256)]
    public int MaxNestingDepth { get; set; } = 16;

    /// <summary>Largest input height or width.</summary>
    [Range(1, 1_000_000)]
    public int MaxInputSide { get; set; } = 65_536;

    /// <summary>Largest spec or compare body in bytes.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxSpecBytes { get; set; } = 1024 * 1024;

    /// <summary>Most networks in one compare request.</summary>
    [Range(1, 1000)]
    public int MaxCompare { get; set; } = 16;

    public NetworkLimits ToLimits() => new()
    {
        MaxLayers = MaxLayers,
        MaxParameters = MaxParameters,
        MaxNestingDepth = MaxNestingDepth,
        MaxInputSide = MaxInputSide,
    };
}
