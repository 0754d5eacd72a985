namespace ConvService.Api.Models;

/// <summary>Multipart fields of the activations endpoint.</summary>
public sealed class ActivationsForm
{
    /// <summary>The image (PNG, JPEG, WebP or GIF).</summary>
    public IFormFile? Image { get; set; }

    /// <summary>A layer name from GET on the same path.</summary>
    public string? Layer { get; set; }

    /// <summary>png (a grid of tiles, default) or json.</summary>
    public string? Format { get; set; }
}
