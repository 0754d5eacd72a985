namespace ConvService.Inference.Classifiers;

/// <summary>How a classifier is trained; the defaults are the ones docs/classifiers.md measures.</summary>
public sealed record ClassifierSettings
{
    /// <summary>One of <see cref="FeatureKinds"/>.</summary>
    public string Features { get; init; } = FeatureKinds.ResNet18;

    /// <summary>One of <see cref="ClassifierMethods"/>.</summary>
    public string Method { get; init; } = ClassifierMethods.Centroid;

    /// <summary>Neighbours that vote, for knn.</summary>
    public int K { get; init; } = 3;

    /// <summary>Filter-bank features: images are scaled (shorter side) and centre-cropped to this square first.</summary>
    public int Side { get; init; } = 64;

    /// <summary>Textons learnt per class by k-means (Varma and Zisserman used 10).</summary>
    public int TextonsPerClass { get; init; } = 10;

    /// <summary>Seed of k-means' seeding, the pixel sample and logistic regression's initial weights.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Gradient steps of logistic regression.</summary>
    public int Iterations { get; init; } = 200;

    /// <summary>Threads for leave-one-out folds and feature extraction.</summary>
    public int Threads { get; init; } = 1;
}
