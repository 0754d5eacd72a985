namespace ConvService.Inference.FilterBanks;

/// <summary>
/// Summary of one response image: the mean, the population standard deviation and the energy (mean of squares),
/// the classic per-filter texture descriptor.
/// </summary>
public readonly record struct ResponseStatistics(double Mean, double Std, double Energy);
