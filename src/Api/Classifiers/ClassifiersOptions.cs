using System.ComponentModel.DataAnnotations;

namespace ConvService.Api.Classifiers;

/// <summary>Limits of classifier training; bound from <c>ConvService:Classifiers</c> and checked at start-up.</summary>
public sealed class ClassifiersOptions
{
    public const string Section = "ConvService:Classifiers";

    /// <summary>Most images in one training request (413 above it).</summary>
    [Range(2, 100_000)]
    public int MaxImages { get; set; } = 500;

    /// <summary>Most classes in one classifier (422 above it).</summary>
    [Range(2, 10_000)]
    public int MaxClasses { get; set; } = 50;

    /// <summary>Largest training request body, and largest unpacked archive, in bytes (413 above it).</summary>
    [Range(1024, 2L * 1024 * 1024 * 1024 - 1)]
    public long MaxRequestBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>Time budget of one training (features, textons, head and leave-one-out); past it the training stops (422) and nothing is stored.</summary>
    [Range(1, 3600)]
    public int TrainingBudgetSeconds { get; set; } = 300;

    /// <summary>Trainings that run at once; more get 503 with Retry-After, so training cannot starve inference of the cores.</summary>
    [Range(1, 64)]
    public int MaxConcurrentTrainings { get; set; } = 1;

    /// <summary>The repository model whose features resnet18 classifiers are built on.</summary>
    [Required]
    public string FeatureModel { get; set; } = "resnet18-features";
}
