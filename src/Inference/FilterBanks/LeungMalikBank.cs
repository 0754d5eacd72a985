namespace ConvService.Inference.FilterBanks;

/// <summary>
/// The Leung-Malik (2001) bank as makeLMfilters.m builds it: 18 first-derivative (edge) filters, then 18
/// second-derivative (bar) filters, each at 3 scales x 6 orientations with elongation 3, then for each of 4 basic
/// scales a Gaussian, a LoG at that scale and a LoG at 3x that scale. All 49x49, zero mean, unit L1.
/// </summary>
/// <remarks>
/// The service serves the scales of the reference code, sqrt(2)^[1..3] for the oriented filters and sqrt(2)^[1..4]
/// for the isotropic ones, which the VGG page calls LM Large (its code comment says so too). LM Small shifts every
/// scale down by one factor of sqrt(2); it is kept here as an option, not served, so that "lm" means one fixed bank
/// that matches the published code and the figure on that page.
/// </remarks>
internal static class LeungMalikBank
{
    public const int OrientationCount = 6;

    public static FilterBank Create(LeungMalikScales scales = LeungMalikScales.Large) => new(
        "lm",
        "Leung-Malik (LM)",
        "48 filters of 49x49: first and second Gaussian derivatives at 6 orientations and 3 scales (sigma sqrt(2)^[1..3], "
        + "elongation 3), 8 Laplacians of Gaussian (sigma sqrt(2)^[1..4] and 3x those) and 4 Gaussians (sigma sqrt(2)^[1..4]); "
        + "LM Large scales as in makeLMfilters.m, each filter zero-mean with unit L1 norm.",
        () => BankContent.OnePerFilter(BuildFilters(scales)));

    public static BankFilter[] BuildFilters(LeungMalikScales scales)
    {
        var firstExponent = scales == LeungMalikScales.Large ? 1 : 0;
        var orientedScales = Enumerable.Range(firstExponent, 3).Select(Sqrt2Power).ToArray();
        var isotropicScales = Enumerable.Range(firstExponent, 4).Select(Sqrt2Power).ToArray();

        var filters = new List<BankFilter>(48);
        foreach (var order in new[] { 1, 2 })
        {
            foreach (var sigma in orientedScales)
            {
                for (var o = 0; o < OrientationCount; o++)
                {
                    var degrees = o * 180 / OrientationCount;
                    var name = order == 1 ? BankFilterNames.Edge(sigma, degrees) : BankFilterNames.Bar(sigma, degrees);
                    filters.Add(new BankFilter(name, BankKernels.OrientedDerivative(sigma, order, degrees)));
                }
            }
        }

        foreach (var sigma in isotropicScales)
        {
            filters.Add(new BankFilter(BankFilterNames.Gaussian(sigma), BankKernels.Gaussian(sigma)));
            filters.Add(new BankFilter(BankFilterNames.LaplacianOfGaussian(sigma), BankKernels.LaplacianOfGaussian(sigma)));
            var wide = BankKernels.Elongation * sigma;
            filters.Add(new BankFilter(BankFilterNames.LaplacianOfGaussian(wide), BankKernels.LaplacianOfGaussian(wide)));
        }

        return [.. filters];
    }

    private static double Sqrt2Power(int exponent) => Math.Pow(Math.Sqrt(2), exponent);
}
