namespace ConvService.Inference.FilterBanks;

/// <summary>
/// MR8 (Varma and Zisserman 2005) on the RFS bank as makeRFSfilters.m builds it: 18 edge then 18 bar filters
/// (sigma pairs (1,3), (2,6), (4,12) x 6 orientations), a Gaussian and a LoG of sigma 10; all 49x49, zero mean,
/// unit L1. The 38 responses reduce to 8: per pixel, the maximum over the 6 orientations of each (type, scale),
/// which makes them rotation invariant, plus the 2 isotropic responses.
/// </summary>
internal static class MaximumResponseBank
{
    public const int OrientationCount = 6;

    public const double IsotropicSigma = 10;

    public static readonly double[] Scales = [1, 2, 4];

    public static FilterBank Create() => new(
        "mr8",
        "Maximum Response 8 (MR8)",
        "The 38 RFS filters of 49x49 (edge and bar at sigma pairs (1,3), (2,6), (4,12) and 6 orientations, a Gaussian and "
        + "a LoG of sigma 10, as in makeRFSfilters.m, zero-mean with unit L1 norm) reduced to 8 responses by keeping, per "
        + "pixel, the maximum over the 6 orientations of each edge and bar scale, plus the Gaussian and LoG responses.",
        BuildContent);

    public static BankContent BuildContent()
    {
        var filters = new List<BankFilter>(38);
        var groups = new List<ResponseGroup>(8);
        foreach (var order in new[] { 1, 2 })
        {
            foreach (var sigma in Scales)
            {
                var first = filters.Count;
                for (var o = 0; o < OrientationCount; o++)
                {
                    var degrees = o * 180 / OrientationCount;
                    var name = order == 1 ? BankFilterNames.Edge(sigma, degrees) : BankFilterNames.Bar(sigma, degrees);
                    filters.Add(new BankFilter(name, BankKernels.OrientedDerivative(sigma, order, degrees)));
                }

                var groupName = order == 1 ? BankFilterNames.EdgeMax(sigma) : BankFilterNames.BarMax(sigma);
                groups.Add(new ResponseGroup(groupName, Enumerable.Range(first, OrientationCount).ToArray()));
            }
        }

        filters.Add(new BankFilter(BankFilterNames.Gaussian(IsotropicSigma), BankKernels.Gaussian(IsotropicSigma)));
        groups.Add(new ResponseGroup(filters[^1].Name, [filters.Count - 1]));
        filters.Add(new BankFilter(BankFilterNames.LaplacianOfGaussian(IsotropicSigma), BankKernels.LaplacianOfGaussian(IsotropicSigma)));
        groups.Add(new ResponseGroup(filters[^1].Name, [filters.Count - 1]));
        return new BankContent(filters.ToArray(), groups.ToArray());
    }
}
