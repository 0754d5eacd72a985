using ConvService.Inference.FilterBanks;
using Catalog = ConvService.Inference.FilterBanks.FilterBanks;

namespace ConvService.Inference.Tests.FilterBanks;

public sealed class KernelPropertyTests
{
    public static TheoryData<string> BankNames => new() { "lm", "s", "mr8" };

    // The reference normalisation removes the mean of every filter, Gaussians included, then divides by the L1 norm.
    [Theory]
    [MemberData(nameof(BankNames))]
    public void EveryFilterIsZeroMeanWithUnitL1(string bank)
    {
        foreach (var filter in Catalog.Get(bank).Filters)
        {
            var values = filter.Kernel.Values;
            Assert.True(Math.Abs(values.Sum(v => (double)v)) < 1e-6, $"{filter.Name} sums to {values.Sum(v => (double)v)}");
            Assert.Equal(1.0, values.Sum(v => Math.Abs((double)v)), 5);
            Assert.True(values.Max(Math.Abs) > 1e-4, $"{filter.Name} is empty");
        }
    }

    [Theory]
    [InlineData("lm")]
    [InlineData("mr8")]
    public void FirstDerivativesAreOddAndSecondDerivativesEven(string bank)
    {
        var filters = Catalog.Get(bank).Filters;
        var edges = BankTestData.FiltersOfType(Catalog.Get(bank), "edge").ToArray();
        var bars = BankTestData.FiltersOfType(Catalog.Get(bank), "bar").ToArray();
        Assert.Equal(18, edges.Length);
        Assert.Equal(18, bars.Length);

        for (var row = 0; row < 49; row++)
        {
            for (var col = 0; col < 49; col++)
            {
                foreach (var edge in edges)
                {
                    Assert.Equal(-edge.Kernel[BankTestData.Last - row, BankTestData.Last - col], edge.Kernel[row, col], 1e-7f);
                }

                foreach (var bar in bars)
                {
                    Assert.Equal(bar.Kernel[BankTestData.Last - row, BankTestData.Last - col], bar.Kernel[row, col], 1e-7f);
                }
            }
        }

        // Odd filters are not trivially zero: the check above could not pass by accident.
        Assert.All(edges, e => Assert.True(e.Kernel.Values.Max() > 1e-3));
        Assert.Equal(filters.Count, edges.Length + bars.Length + (bank == "lm" ? 12 : 2));
    }

    [Theory]
    [MemberData(nameof(BankNames))]
    public void IsotropicFiltersEqualTheirQuarterTurn(string bank)
    {
        var isotropic = Catalog.Get(bank).Filters.Where(f => !f.Name.StartsWith("edge", StringComparison.Ordinal) && !f.Name.StartsWith("bar", StringComparison.Ordinal)).ToArray();
        Assert.Equal(bank switch { "lm" => 12, "s" => 13, _ => 2 }, isotropic.Length);
        foreach (var filter in isotropic)
        {
            for (var row = 0; row < 49; row++)
            {
                for (var col = 0; col < 49; col++)
                {
                    Assert.Equal(BankTestData.RotatedQuarter(filter.Kernel, row, col), filter.Kernel[row, col], 1e-6f);
                }
            }
        }
    }

    [Theory]
    [InlineData("lm")]
    [InlineData("mr8")]
    public void NinetyDegreeFilterIsTheZeroDegreeFilterTurnedAQuarter(string bank)
    {
        var filters = Catalog.Get(bank).Filters;
        for (var first = 0; first < 36; first += 6)
        {
            var zero = filters[first];
            var ninety = filters[first + 3];
            Assert.Equal(0, BankTestData.OrientationOf(zero));
            Assert.Equal(90, BankTestData.OrientationOf(ninety));

            var largestDifference = 0f;
            for (var row = 0; row < 49; row++)
            {
                for (var col = 0; col < 49; col++)
                {
                    largestDifference = MathF.Max(largestDifference, MathF.Abs(BankTestData.RotatedQuarter(zero.Kernel, row, col) - ninety.Kernel[row, col]));
                }
            }

            Assert.True(largestDifference < 1e-7f, $"{ninety.Name} differs from {zero.Name} turned by {largestDifference}");

            // ... and it is a genuinely different kernel.
            Assert.True(zero.Kernel.Values.Zip(ninety.Kernel.Values).Max(p => MathF.Abs(p.First - p.Second)) > 1e-3f);
        }
    }

    [Fact]
    public void AxisAlignedEdgesCarrySeparableFactorsThatReproduceThem()
    {
        foreach (var bank in new[] { "lm", "mr8" })
        {
            foreach (var filter in Catalog.Get(bank).Filters)
            {
                var axisAlignedEdge = filter.Name.StartsWith("edge", StringComparison.Ordinal) && BankTestData.OrientationOf(filter) % 90 == 0;
                Assert.Equal(axisAlignedEdge, filter.Kernel.IsSeparable);
                if (!axisAlignedEdge)
                {
                    continue;
                }

                var k = filter.Kernel;
                for (var row = 0; row < 49; row++)
                {
                    for (var col = 0; col < 49; col++)
                    {
                        Assert.Equal(k[row, col], k.ColumnFactor![row] * k.RowFactor![col], 1e-7f);
                    }
                }
            }
        }
    }

    [Fact]
    public void LaplaciansHaveANegativeCentreAndSchmidAPositiveOne()
    {
        Assert.All(Catalog.Get("lm").Filters.Where(f => f.Name.StartsWith("log", StringComparison.Ordinal)), f => Assert.True(f.Kernel[24, 24] < 0, f.Name));
        Assert.True(Catalog.Get("mr8").Filters[37].Kernel[24, 24] < 0);
        Assert.All(Catalog.Get("s").Filters, f => Assert.True(f.Kernel[24, 24] > 0, f.Name));
        Assert.All(Catalog.Get("lm").Filters.Where(f => f.Name.StartsWith("gaussian", StringComparison.Ordinal)), f => Assert.Equal(f.Kernel.Values.Max(), f.Kernel[24, 24]));
    }
}
