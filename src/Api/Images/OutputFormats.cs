using ConvService.Inference.Errors;

namespace ConvService.Api.Images;

/// <summary>Parses the <c>format</c> field and names the matching media type.</summary>
public static class OutputFormats
{
    public static ImageOutputFormat Parse(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "png" => ImageOutputFormat.Png,
        "jpeg" or "jpg" => ImageOutputFormat.Jpeg,
        "json" => ImageOutputFormat.Json,
        _ => throw ConvServiceException.InvalidInput("Invalid format", $"'format' must be png, jpeg or json; got \"{format}\"."),
    };

    public static string ContentType(ImageOutputFormat format) => format switch
    {
        ImageOutputFormat.Jpeg => "image/jpeg",
        ImageOutputFormat.Json => "application/json",
        _ => "image/png",
    };
}
