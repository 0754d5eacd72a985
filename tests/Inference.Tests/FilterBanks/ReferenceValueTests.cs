using ConvService.Inference.FilterBanks;
using Catalog = ConvService.Inference.FilterBanks.FilterBanks;

namespace ConvService.Inference.Tests.FilterBanks;

/// <summary>
/// Kernel values at fixed points, computed in double precision by filterbank_reference.py beside this file: a
/// separate line-by-line transcription of makeLMfilters.m, makeSfilters.m, makeRFSfilters.m and MATLAB's fspecial that
/// keeps MATLAB's column-major meshgrid and reshape. Its output is pasted below as printed (float, nine significant
/// digits, six points per filter) and compared with a relative bar of 2e-6.
/// </summary>
public sealed class ReferenceValueTests
{
    /// <summary>
    /// Values below this are not figures but rounding: a derivative filter's mean is zero in exact arithmetic, and
    /// the normalisation that subtracts it leaves a constant of about 1e-21 that depends on the order of summation.
    /// The script prints such entries as 0, and they are checked only as negligible.
    /// </summary>
    private const double NoiseLevel = 1e-12;

    private static readonly (int Row, int Col)[] Points = [(24, 24), (20, 27), (30, 18), (10, 40), (24, 30), (0, 0)];

    public static TheoryData<string, int, float[]> Golden => new()
    {
        { "lm", 0, new[] { 0f, -0.00140122836f, 6.6897037e-06f, 0f, 0f, 0f } },
        { "lm", 1, new[] { 0f, -0.000244026451f, 8.57433413e-09f, 0f, -0.00351280021f, 0f } },
        { "lm", 4, new[] { 0f, -0.00648720562f, 0.00239339145f, -1.65098889e-11f, -0.000111438727f, 0f } },
        { "lm", 9, new[] { 0f, -0.00662186462f, 0.000343264634f, 0f, -0.000565947674f, 0f } },
        { "lm", 19, new[] { -0.0273956303f, 0.000648264948f, 3.97118605e-08f, 0f, 0.00477381842f, 0f } },
        { "lm", 23, new[] { -0.0273956303f, 0.00539171137f, 0.00179188838f, 1.65413283e-08f, 0.00477381842f, 0f } },
        { "lm", 35, new[] { -0.00685841776f, -0.00240923511f, -0.00126348634f, 0.000130285625f, 0.000405160506f, 1.88488002e-07f } },
        { "lm", 36, new[] { 0.040905647f, -0.00013583673f, -0.000215218053f, -0.000215218679f, -0.00021014396f, -0.000215218679f } },
        { "lm", 37, new[] { -0.109903067f, 0.00111385481f, 2.84549646e-08f, 0f, 0.000108504923f, 0f } },
        { "lm", 38, new[] { -0.0120276101f, -0.00183516927f, 0.00162776024f, 4.90100888e-07f, 1.39689746e-10f, 1.39694478e-10f } },
        { "lm", 47, new[] { -0.00170041609f, -0.0014018463f, -0.000937355217f, 0.000351789349f, -0.00128243794f, 0.000235120882f } },
        { "s", 0, new[] { 0.0549244434f, 9.17065991e-05f, 9.6600852e-05f, 9.17065991e-05f, -0.000517430075f, 9.17065991e-05f } },
        { "s", 5, new[] { 0.00720450701f, 7.89090973e-06f, 0.00192272465f, 2.51891265e-06f, -0.00435707765f, 7.89010392e-06f } },
        { "s", 12, new[] { 0.00256952108f, 0.00226812414f, -0.000579875486f, 1.0469779e-06f, 0.000666570792f, 6.43113071e-06f } },
        { "mr8", 0, new[] { 0f, -5.93435907e-05f, 9.01734243e-10f, 0f, 0f, 0f } },
        { "mr8", 2, new[] { 0f, -6.33999389e-06f, 0f, 0f, -2.87833529e-07f, 0f } },
        { "mr8", 3, new[] { 0f, -0.000999018434f, 9.01734243e-10f, 0f, -6.66296485e-09f, 0f } },
        { "mr8", 13, new[] { 0f, -0.00244121556f, 0.00105044851f, -5.79662576e-08f, -0.00219282368f, -2.00602608e-05f } },
        { "mr8", 18, new[] { -0.066490382f, 0.000202930445f, 4.90690377e-09f, 1.10262556e-10f, -0.0089984946f, 1.10262556e-10f } },
        { "mr8", 20, new[] { -0.0549496375f, 2.29089073e-05f, 0f, 0f, 1.18799721e-06f, 0f } },
        { "mr8", 33, new[] { -0.00361041003f, -0.00112787704f, 0.00129299972f, 9.19879767e-06f, 0.00146516063f, 2.74334888e-10f } },
        { "mr8", 36, new[] { 0.00149268284f, 0.00125747826f, 0.000887525268f, -0.000300127693f, 0.00116294518f, -0.000502697192f } },
        { "mr8", 37, new[] { -0.00225714617f, -0.00172972551f, -0.000975754403f, 0.000362374762f, -0.00152770022f, 9.2703689e-05f } },
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
