using System.ComponentModel.DataAnnotations;

namespace ConvService.Api.Images;

/// <summary>Encoder settings; PNG encoding dominates a filtered-image response, so its level is tunable.</summary>
public sealed class ImageOptions
{
    public const string Section = "ConvService:Images";

    /// <summary>1 (fastest) to 9 (smallest); mapped onto PngWriter's levels by ImageCodec.ZLibLevel.</summary>
    [Range(1, 9)]
    public int PngCompressionLevel { get; set; } = 1;

    /// <summary>JPEG quality 1 to 100.</summary>
    [Range(1, 100)]
    public int JpegQuality { get; set; } = 90;
}
