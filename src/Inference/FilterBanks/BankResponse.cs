using ConvService.Inference.Filters;

namespace ConvService.Inference.FilterBanks;

/// <summary>One response of a bank: a single-channel image the size of the input, with its statistics.</summary>
public sealed record BankResponse(string Name, FloatImage Response, ResponseStatistics Statistics)
{
    public double Mean => Statistics.Mean;

    public double Std => Statistics.Std;

    public double Energy => Statistics.Energy;
}
