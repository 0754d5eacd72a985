namespace ConvService.Api.Classifiers;

/// <summary>The multipart fields of a training request, for the OpenAPI document (the handler reads the form itself, to keep the parts' order).</summary>
public sealed class TrainingFields
{
    /// <summary>Training images (PNG, JPEG, WebP, GIF), each followed by its label.</summary>
    public IFormFile[]? Image { get; set; }

    /// <summary>The class of the image before it; the n-th label names the n-th image.</summary>
    public string[]? Label { get; set; }

    /// <summary>Instead of image and label parts: a zip with one folder per class.</summary>
    public IFormFile? Archive { get; set; }

    /// <summary>resnet18 (default), mr8, lm, s or textons.</summary>
    public string? Features { get; set; }

    /// <summary>centroid (default), knn or logistic.</summary>
    public string? Method { get; set; }

    /// <summary>Neighbours that vote, for knn (default 3).</summary>
    public int? K { get; set; }

    /// <summary>Filter-bank features: the square side images are scaled and cropped to (default 64).</summary>
    public int? Size { get; set; }

    /// <summary>Textons per class (default 10).</summary>
    public int? Textons { get; set; }

    /// <summary>Seed of k-means and logistic regression (default 1).</summary>
    public int? Seed { get; set; }

    /// <summary>Gradient steps of logistic regression (default 200).</summary>
    public int? Iterations { get; set; }
}
