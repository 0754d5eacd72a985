namespace ConvService.Api.Images;

/// <summary>How a filtered image is returned.</summary>
public enum ImageOutputFormat
{
    Png,
    Jpeg,
    Json,
}
