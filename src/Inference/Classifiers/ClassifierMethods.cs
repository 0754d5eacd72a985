namespace ConvService.Inference.Classifiers;

/// <summary>How a classifier decides between the classes, given an image's features.</summary>
public static class ClassifierMethods
{
    /// <summary>Nearest class mean.</summary>
    public const string Centroid = "centroid";

    /// <summary>Votes of the k most cosine-similar training images.</summary>
    public const string Knn = "knn";

    /// <summary>A softmax layer trained by gradient descent.</summary>
    public const string Logistic = "logistic";

    public static IReadOnlyList<string> All { get; } = [Centroid, Knn, Logistic];
}
