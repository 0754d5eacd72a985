using ConvService.Inference.Errors;
using ConvService.Inference.FilterBanks;
using Catalog = ConvService.Inference.FilterBanks.FilterBanks;

namespace ConvService.Inference.Tests.FilterBanks;

public sealed class FilterBankCatalogTests
{
    [Theory]
    [InlineData("lm", 48, 48)]
    [InlineData("s", 13, 13)]
    [InlineData("mr8", 38, 8)]
    public void BankHasTheReferenceCountsAndSizes(string name, int filters, int responses)
    {
        var bank = Catalog.Get(name);

        Assert.Equal(name, bank.Name);
        Assert.Equal(filters, bank.Filters.Count);
        Assert.Equal(responses, bank.ResponseNames.Count);
        Assert.All(bank.Filters, f => Assert.Equal((49, 49), (f.Kernel.Rows, f.Kernel.Cols)));
        Assert.Equal(filters, bank.Filters.Select(f => f.Name).Distinct().Count());
        Assert.Equal(responses, bank.ResponseNames.Distinct().Count());
        Assert.False(string.IsNullOrWhiteSpace(bank.DisplayName));
        Assert.False(string.IsNullOrWhiteSpace(bank.Description));
    }

    [Fact]
    public void AllListsTheThreeBanksInOrder()
    {
        Assert.Equal(["lm", "s", "mr8"], Catalog.All.Select(b => b.Name));
        Assert.Equal(["lm", "s", "mr8"], Catalog.Names);
    }

    [Fact]
    public void GetIgnoresCaseAndReturnsTheCachedBankAndKernels()
    {
        var bank = Catalog.Get("MR8");

        Assert.Same(Catalog.Get("mr8"), bank);
        Assert.Same(bank.Filters, Catalog.Get("mr8").Filters);
        Assert.Same(bank.Filters[0].Kernel, Catalog.Get("mr8").Filters[0].Kernel);
    }

    [Theory]
    [InlineData("gabor")]
    [InlineData("")]
    [InlineData("lm2")]
    public void UnknownBankIsABadRequestListingTheKnownBanks(string name)
    {
        var error = Assert.Throws<ConvServiceException>(() => Catalog.Get(name));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal("Unknown filter bank", error.Title);
        Assert.Equal(["lm", "s", "mr8"], Assert.IsType<string[]>(error.Extensions["knownBanks"]));
        Assert.Contains("lm, s, mr8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LeungMalikFollowsTheReferenceOrderAndScales()
    {
        var names = Catalog.Get("lm").Filters.Select(f => f.Name).ToArray();

        Assert.Equal("edge s=1.41 o=0deg", names[0]);
        Assert.Equal("edge s=1.41 o=30deg", names[1]);
        Assert.Equal("edge s=2.83 o=150deg", names[17]);
        Assert.Equal("bar s=1.41 o=0deg", names[18]);
        Assert.Equal("bar s=2.83 o=150deg", names[35]);
        Assert.Equal(
            ["gaussian s=1.41", "log s=1.41", "log s=4.24", "gaussian s=2", "log s=2", "log s=6",
             "gaussian s=2.83", "log s=2.83", "log s=8.49", "gaussian s=4", "log s=4", "log s=12"],
            names[36..]);
    }

    [Fact]
    public void LeungMalikSmallShiftsEveryScaleDownBySqrt2()
    {
        var names = LeungMalikBank.BuildFilters(LeungMalikScales.Small).Select(f => f.Name).ToArray();

        Assert.Equal(48, names.Length);
        Assert.Equal("edge s=1 o=0deg", names[0]);
        Assert.Equal("bar s=2 o=150deg", names[35]);
        Assert.Equal(["gaussian s=1", "log s=1", "log s=3"], names[36..39]);
        Assert.Equal(["gaussian s=2.83", "log s=2.83", "log s=8.49"], names[45..]);
    }

    [Fact]
    public void SchmidUsesTheThirteenReferencePairs()
    {
        Assert.Equal(
            ["schmid s=2 tau=1", "schmid s=4 tau=1", "schmid s=4 tau=2", "schmid s=6 tau=1", "schmid s=6 tau=2",
             "schmid s=6 tau=3", "schmid s=8 tau=1", "schmid s=8 tau=2", "schmid s=8 tau=3", "schmid s=10 tau=1",
             "schmid s=10 tau=2", "schmid s=10 tau=3", "schmid s=10 tau=4"],
            Catalog.Get("s").Filters.Select(f => f.Name));
    }

    [Fact]
    public void MaximumResponseNamesTheEightResponses()
    {
        var bank = Catalog.Get("mr8");

        Assert.Equal(
            ["edge s=1 max", "edge s=2 max", "edge s=4 max", "bar s=1 max", "bar s=2 max", "bar s=4 max", "gaussian s=10", "log s=10"],
            bank.ResponseNames);
        Assert.Equal("edge s=1 o=30deg", bank.Filters[1].Name);
        Assert.Equal("bar s=4 o=150deg", bank.Filters[35].Name);
        Assert.Equal(["gaussian s=10", "log s=10"], bank.Filters.Skip(36).Select(f => f.Name));
    }
}
