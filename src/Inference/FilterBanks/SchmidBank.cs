namespace ConvService.Inference.FilterBanks;

/// <summary>
/// The Schmid (2001) bank as makeSfilters.m builds it: 13 rotation-invariant 49x49 filters
/// F(r, sigma, tau) = cos(pi tau r / sigma) exp(-r^2 / (2 sigma^2)), each zero-mean with unit L1 norm.
/// </summary>
internal static class SchmidBank
{
    /// <summary>The (sigma, tau) pairs, in the reference order.</summary>
    public static readonly (int Sigma, int Tau)[] Parameters =
    [
        (2, 1), (4, 1), (4, 2), (6, 1), (6, 2), (6, 3), (8, 1), (8, 2), (8, 3), (10, 1), (10, 2), (10, 3), (10, 4),
    ];

    public static FilterBank Create() => new(
        "s",
        "Schmid (S)",
        "13 rotation-invariant 49x49 filters cos(pi*tau*r/sigma)*exp(-r^2/(2*sigma^2)) for (sigma, tau) = (2,1), (4,1), "
        + "(4,2), (6,1), (6,2), (6,3), (8,1), (8,2), (8,3), (10,1), (10,2), (10,3), (10,4), as in makeSfilters.m, "
        + "each zero-mean with unit L1 norm.",
        () => BankContent.OnePerFilter(BuildFilters()));

    public static BankFilter[] BuildFilters() =>
        Parameters.Select(p => new BankFilter(BankFilterNames.Schmid(p.Sigma, p.Tau), Kernel(p.Sigma, p.Tau))).ToArray();

    private static Filters.Kernel2D Kernel(double sigma, double tau) => BankKernels.Isotropic(r2 =>
    {
        var r = Math.Sqrt(r2);
        return Math.Cos(r * (Math.PI * tau / sigma)) * Math.Exp(-r2 / (2 * sigma * sigma));
    });
}
