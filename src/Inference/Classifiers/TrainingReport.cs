namespace ConvService.Inference.Classifiers;

/// <summary>What training measured: leave-one-out accuracy and confusion (rows: true class, columns: predicted), sizes and times.</summary>
public sealed record TrainingReport(
    string Features,
    string Method,
    int? K,
    IReadOnlyList<string> Labels,
    IReadOnlyList<int> ImagesPerClass,
    int FeatureLength,
    double LeaveOneOutAccuracy,
    IReadOnlyList<IReadOnlyList<int>> Confusion,
    double FeatureMilliseconds,
    double FitMilliseconds,
    double TotalMilliseconds,
    long ModelBytes,
    int Seed);
