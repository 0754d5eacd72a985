namespace ConvService.Contracts.Filters;

/// <summary>Mean, standard deviation and energy (mean of squares) of one filter response.</summary>
public sealed record ResponseStatistics(string Name, double Mean, double Std, double Energy);
