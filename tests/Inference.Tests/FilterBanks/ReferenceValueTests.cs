using ConvService.Inference.FilterBanks;
using Catalog = ConvService.Inference.FilterBanks.FilterBanks;

namespace ConvService.Inference.Tests.FilterBanks;

/// <summary>
/// Kernel values at fixed points, computed in double precision by a separate line-by-line transcription of
/// makeLMfilters.m, makeSfilters.m and makeRFSfilters.m that keeps MATLAB's column-major meshgrid and reshape.
/// That transcription is not in the repository: the figures are pinned as it printed them (float, nine significant
/// digits), at six points per filter, and compared with a relative bar of 2e-6 and no absolute floor.
/// </summary>
public sealed class ReferenceValueTests
{
    /// <summary>
    /// Values below this are not figures but rounding: a derivative filter's mean is zero in exact arithmetic, and
    /// the normalisation that subtracts it leaves a constant of about 1e-21 that depends on the order of summation
    /// (the equal values at the corner (0, 0) and far points). Such entries are checked only as negligible.
    /// </summary>
    private const double NoiseLevel = 1e-12;

    private static readonly (int Row, int Col)[] Points = [(24, 24), (20, 27), (30, 18), (10, 40), (24, 30), (0, 0)];

    public static TheoryData<string, int, float[]> Golden => new()
    {
        { "lm", 0, new[] { 1.4496601e-21f, -0.00140122833f, 6.68970392e-06f, 1.44951301e-21f, 1.4496601e-21f, 1.4496601e-21f } },
        { "lm", 1, new[] { 1.60429994e-21f, -0.000244026457f, 8.57433447e-09f, 1.60429994e-21f, -0.00351280025f, 1.51095132e-21f } },
        { "lm", 4, new[] { 2.29079266e-20f, -0.00648720565f, 0.00239339146f, -1.65098886e-11f, -0.00011143873f, 2.29079266e-20f } },
        { "lm", 9, new[] { 2.22689306e-20f, -0.00662186459f, 0.000343264632f, -1.13061608e-16f, -0.000565947701f, 2.22689306e-20f } },
        { "lm", 19, new[] { -0.0273956307f, 0.000648264959f, 3.97118606e-08f, 3.49575473e-14f, 0.00477381848f, 3.49575478e-14f } },
        { "lm", 23, new[] { -0.0273956307f, 0.00539171155f, 0.00179188835f, 1.65413276e-08f, 0.00477381848f, 3.49575417e-14f } },
        { "lm", 35, new[] { -0.00685841791f, -0.00240923519f, -0.00126348632f, 0.000130285621f, 0.00040516052f, 1.88488006e-07f } },
        { "lm", 36, new[] { 0.0409056476f, -0.000135836732f, -0.000215218052f, -0.000215218678f, -0.00021014396f, -0.000215218678f } },
        { "lm", 37, new[] { -0.109903065f, 0.00111385484f, 2.84549646e-08f, 7.36002275e-19f, 0.000108504925f, 7.36002275e-19f } },
        { "lm", 38, new[] { -0.0120276104f, -0.00183516922f, 0.00162776022f, 4.90100891e-07f, 1.39689749e-10f, 1.39694471e-10f } },
        { "lm", 47, new[] { -0.00170041609f, -0.00140184626f, -0.00093735524f, 0.000351789349f, -0.00128243794f, 0.000235120883f } },
        { "s", 0, new[] { 0.0549244418f, 9.1706598e-05f, 9.66008553e-05f, 9.1706598e-05f, -0.000517430068f, 9.1706598e-05f } },
        { "s", 5, new[] { 0.00720450704f, 7.89090997e-06f, 0.0019227247f, 2.51891258e-06f, -0.00435707742f, 7.89010356e-06f } },
        { "s", 12, new[] { 0.00256952102f, 0.0022681241f, -0.000579875467f, 1.04697792e-06f, 0.000666570773f, 6.43113056e-06f } },
        { "mr8", 0, new[] { -9.34588963e-22f, -5.93435924e-05f, 9.01734218e-10f, -9.34588963e-22f, -9.34588963e-22f, -9.34588963e-22f } },
        { "mr8", 2, new[] { -1.31290235e-20f, -6.33999389e-06f, 1.08028044e-15f, -1.31290235e-20f, -2.87833543e-07f, -1.31290235e-20f } },
        { "mr8", 3, new[] { 6.60130717e-22f, -0.000999018394f, 9.01734218e-10f, 6.60130717e-22f, -6.66296473e-09f, 6.60130717e-22f } },
        { "mr8", 13, new[] { 1.07922311e-20f, -0.00244121553f, 0.00105044847f, -5.79662569e-08f, -0.00219282366f, -2.00602611e-05f } },
        { "mr8", 18, new[] { -0.0664903805f, 0.00020293045f, 4.90690367e-09f, 1.10262556e-10f, -0.00899849439f, 1.10262556e-10f } },
        { "mr8", 20, new[] { -0.0549496356f, 2.2908908e-05f, 7.19483685e-15f, 2.01002451e-21f, 1.1879972e-06f, 2.01002451e-21f } },
        { "mr8", 33, new[] { -0.00361040992f, -0.00112787709f, 0.00129299972f, 9.19879737e-06f, 0.00146516063f, 2.74334877e-10f } },
        { "mr8", 36, new[] { 0.0014926828f, 0.00125747831f, 0.000887525264f, -0.000300127685f, 0.00116294523f, -0.00050269721f } },
        { "mr8", 37, new[] { -0.00225714606f, -0.00172972548f, -0.000975754385f, 0.000362374762f, -0.00152770027f, 9.27036874e-05f } },
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void KernelMatchesTheReferenceScript(string bank, int filterIndex, float[] expected)
    {
        var kernel = Catalog.Get(bank).Filters[filterIndex].Kernel;
        for (var i = 0; i < Points.Length; i++)
        {
            var (row, col) = Points[i];
            var expectedZero = Math.Abs(expected[i]) < NoiseLevel;
            Assert.True(
                expectedZero ? Math.Abs(kernel[row, col]) < NoiseLevel : Math.Abs(kernel[row, col] - expected[i]) <= 2e-6 * Math.Abs(expected[i]),
                $"{bank}[{filterIndex}] at ({row},{col}): expected {expected[i]:G9}, got {kernel[row, col]:G9}");
        }
    }
}
