namespace ConvService.Api.Filters;

/// <summary>The multipart fields of <c>POST /api/filter/bank</c>.</summary>
public sealed class BankForm
{
    /// <summary>The image: PNG, JPEG, WebP or GIF (first frame). Filtered as gray.</summary>
    public IFormFile? Image { get; set; }

    /// <summary>lm (Leung-Malik, 48 filters), s (Schmid, 13) or mr8 (38 filters, 8 responses).</summary>
    public string? Bank { get; set; }

    /// <summary>png (default: a grid of responses) or json (statistics per response).</summary>
    public string? Format { get; set; }
}
