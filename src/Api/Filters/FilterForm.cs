namespace ConvService.Api.Filters;

/// <summary>The multipart fields of <c>POST /api/filter</c>. Values are strings so a bad one gets a precise message.</summary>
public sealed class FilterForm
{
    /// <summary>The image: PNG, JPEG, WebP or GIF (first frame).</summary>
    public IFormFile? Image { get; set; }

    /// <summary>A kernel name from GET /api/kernels (give this or matrix).</summary>
    public string? Kernel { get; set; }

    /// <summary>A custom kernel as a JSON 2-D array, e.g. [[0,1,0],[1,-4,1],[0,1,0]].</summary>
    public string? Matrix { get; set; }

    /// <summary>Size of a box, sharpen or gaussian kernel (odd).</summary>
    public string? Size { get; set; }

    /// <summary>Standard deviation of a gaussian kernel.</summary>
    public string? Sigma { get; set; }

    /// <summary>correlate (default) or convolve.</summary>
    public string? Op { get; set; }

    /// <summary>zero, reflect, reflect101 (default), replicate or wrap.</summary>
    public string? Border { get; set; }

    /// <summary>same (default), valid, or a number of pixels.</summary>
    public string? Padding { get; set; }

    /// <summary>Step between outputs (default 1).</summary>
    public string? Stride { get; set; }

    /// <summary>exact (default) or floor.</summary>
    public string? Fit { get; set; }

    /// <summary>Multiplier applied before converting to 8-bit pixels (default 1).</summary>
    public string? Scale { get; set; }

    /// <summary>Added after scaling, before converting to 8-bit pixels (default 0; 128 shows signed edges).</summary>
    public string? Offset { get; set; }

    /// <summary>true to filter the luma only.</summary>
    public string? Gray { get; set; }

    /// <summary>png (default), jpeg or json.</summary>
    public string? Format { get; set; }
}
