using ConvService.Inference.FilterBanks;
using Catalog = ConvService.Inference.FilterBanks.FilterBanks;

namespace ConvService.Inference.Tests.FilterBanks;

/// <summary>
/// Orientation follows the filter names: "o=0deg" has its long axis along the rows (it differentiates vertically),
/// "o=90deg" along the columns; angles grow from +column towards +row. Patterns are analytic functions of
/// (column, row) so no image border interferes.
/// </summary>
public sealed class OrientationTests
{
    private const int HalfWindow = 3;

    // Bright below the row 0 line: a horizontal edge.
    private static double HorizontalStep(double column, double row) => row >= 0 ? 1 : 0;

    // Bright right of the column 0 line: a vertical edge.
    private static double VerticalStep(double column, double row) => column >= 0 ? 1 : 0;

    [Theory]
    [InlineData("lm")]
    [InlineData("mr8")]
    public void ZeroDegreeEdgeAnswersAHorizontalStepAndNinetyDegreeEdgeAVerticalOne(string bank)
    {
        foreach (var scale in BankTestData.FiltersOfType(Catalog.Get(bank), "edge").GroupBy(BankTestData.ScaleOf))
        {
            Assert.Equal(0, StrongestOrientation(scale, HorizontalStep));
            Assert.Equal(90, StrongestOrientation(scale, VerticalStep));
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(30, 30)]
    [InlineData(60, 60)]
    [InlineData(90, 90)]
    [InlineData(120, 120)]
    [InlineData(150, 150)]
    [InlineData(10, 0)]
    [InlineData(52, 60)]
    [InlineData(98, 90)]
    [InlineData(139, 150)]
    [InlineData(172, 0)]
    public void StripeTextureAnswersMostAtTheNearestOrientation(double stripeDegrees, int expectedOrientation)
    {
        // Stripes whose lines run at stripeDegrees, period 10 pixels, fixed phase.
        var angle = stripeDegrees * Math.PI / 180;
        var (sin, cos) = Math.SinCos(angle);
        double Stripes(double column, double row) => Math.Cos((2 * Math.PI * ((-sin * column) + (cos * row)) / 10) + 0.3);

        var oriented = Catalog.Get("lm").Filters.Where(f => f.Name.StartsWith("edge", StringComparison.Ordinal) || f.Name.StartsWith("bar", StringComparison.Ordinal));
        var samples = PlainFiltering.Sample(Stripes, HalfWindow + 24);
        var best = oriented.MaxBy(f => PlainFiltering.EnergyAround(f.Kernel, samples, HalfWindow))!;

        Assert.Equal(expectedOrientation, BankTestData.OrientationOf(best));
    }

    private static int StrongestOrientation(IEnumerable<BankFilter> filters, Func<double, double, double> pattern)
    {
        var samples = PlainFiltering.Sample(pattern, HalfWindow + 24);
        var energies = filters.Select(f => (Orientation: BankTestData.OrientationOf(f), Energy: PlainFiltering.EnergyAround(f.Kernel, samples, HalfWindow))).ToArray();
        Assert.Equal(6, energies.Length);
        var best = energies.MaxBy(e => e.Energy);

        // Clearly the strongest, not a tie that happened to fall the right way.
        Assert.All(energies.Where(e => e.Orientation != best.Orientation), e => Assert.True(e.Energy < 0.9 * best.Energy));
        return best.Orientation;
    }
}
