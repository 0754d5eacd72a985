namespace ConvService.Contracts.Classifiers;

/// <summary>Where training time went, in milliseconds: computing features, fitting the head with leave-one-out, and the whole training.</summary>
public sealed record ClassifierTimings(double FeaturesMs, double FitMs, double TotalMs);
