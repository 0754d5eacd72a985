namespace ConvService.Api.Models;

/// <summary>Multipart fields of predict and embed.</summary>
public sealed class PredictForm
{
    /// <summary>The image (PNG, JPEG, WebP or GIF).</summary>
    public IFormFile? Image { get; set; }

    /// <summary>How many classes to return (predict only), default 5.</summary>
    public string? Top { get; set; }
}
