namespace ConvService.Contracts.Classifiers;

/// <summary>
/// A trained classifier and its training report. Confusion rows are the true classes and columns the predicted
/// ones, both in the order of <see cref="Labels"/>; each image is predicted by the head refitted without it.
/// </summary>
public sealed record ClassifierResponse(
    string Name,
    string Version,
    bool Ready,
    string Features,
    string Method,
    int? K,
    IReadOnlyList<string> Labels,
    IReadOnlyList<int> ImagesPerClass,
    int Images,
    int FeatureLength,
    double LeaveOneOutAccuracy,
    IReadOnlyList<IReadOnlyList<int>> Confusion,
    ClassifierTimings Timings,
    long ModelBytes,
    int Seed,
    DateTimeOffset TrainedAt,
    string PredictUrl);
