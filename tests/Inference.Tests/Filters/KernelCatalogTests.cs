using ConvService.Inference.Errors;
using ConvService.Inference.Filters;

namespace ConvService.Inference.Tests.Filters;

public sealed class KernelCatalogTests
{
    private const int MaxSize = 31;

    [Fact]
    public void ListsEveryNamedKernelWithADescription()
    {
        string[] names = ["identity", "box", "shift-left", "shift-right", "shift-up", "shift-down", "sharpen", "sobel-x", "sobel-y", "sobel-magnitude", "laplacian", "gaussian"];
        Assert.Equal(names, KernelCatalog.All.Select(k => k.Name));
        Assert.All(KernelCatalog.All, k => Assert.False(string.IsNullOrWhiteSpace(k.Description)));
        Assert.All(KernelCatalog.All, k => Assert.Equal(k.Separable, k.DefaultKernel.IsSeparable));
        Assert.Equal(["size", "sigma"], KernelCatalog.All.Single(k => k.Name == "gaussian").Parameters);
    }

    [Fact]
    public void UnknownNamesListTheKnownOnes()
    {
        var e = Assert.Throws<ConvServiceException>(() => KernelCatalog.Create("blurry", null, null, MaxSize));
        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
        Assert.Equal("Unknown kernel", e.Title);
        var known = Assert.IsAssignableFrom<IEnumerable<string>>(e.Extensions["knownKernels"]);
        Assert.Contains("gaussian", known);
        Assert.Contains("box", e.Message);
    }

    [Theory]
    [InlineData("box", 4, null, "odd")]
    [InlineData("box", 0, null, "at least 1")]
    [InlineData("box", 33, null, "at most 31")]
    [InlineData("gaussian", 6, 1.0, "odd")]
    [InlineData("gaussian", null, 0.0, "positive")]
    [InlineData("gaussian", null, -1.0, "positive")]
    [InlineData("gaussian", null, double.NaN, "positive")]
    [InlineData("gaussian", null, 6.0, "smaller sigma")]
    [InlineData("identity", 3, null, "takes no size")]
    [InlineData("box", null, 1.0, "takes no sigma")]
    public void BadParametersAreBadRequestsThatSayHowToFixThem(string name, int? size, double? sigma, string hint)
    {
        var e = Assert.Throws<ConvServiceException>(() => KernelCatalog.Create(name, size, sigma, MaxSize));
        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
        Assert.Contains(hint, e.Message);
    }

    [Fact]
    public void GaussianDefaultsToSixSigmaAndSumsToOne()
    {
        var kernel = Linear(KernelCatalog.Create("gaussian", null, 1.0, MaxSize));
        Assert.Equal(7, kernel.Rows);
        Assert.True(kernel.IsSeparable);
        Assert.Equal(1.0, kernel.Values.Sum(), 5);
        Assert.Equal(kernel[0, 3], kernel[6, 3], 6);
        Assert.True(kernel[3, 3] > kernel[3, 2]);
        Assert.Equal(13, Linear(KernelCatalog.Create("gaussian", null, 2.0, MaxSize)).Rows);
        Assert.Equal(5, Linear(KernelCatalog.Create("gaussian", 5, 0.8, MaxSize)).Cols);
    }

    [Fact]
    public void FixedKernelsHaveTheLectureValues()
    {
        Assert.Equal([1f, 0, -1, 2, 0, -2, 1, 0, -1], Linear(KernelCatalog.Create("sobel-x", null, null, MaxSize)).Values);
        Assert.Equal([1f, 2, 1, 0, 0, 0, -1, -2, -1], Linear(KernelCatalog.Create("sobel-y", null, null, MaxSize)).Values);
        Assert.Equal([0f, 1, 0, 1, -4, 1, 0, 1, 0], Linear(KernelCatalog.Create("laplacian", null, null, MaxSize)).Values);
        Assert.Equal([0f, 0, 0, 0, 0, 1, 0, 0, 0], Linear(KernelCatalog.Create("shift-left", null, null, MaxSize)).Values);
        Assert.IsType<FilterKernel.GradientMagnitude>(KernelCatalog.Create("sobel-magnitude", null, null, MaxSize));
    }

    [Fact]
    public void BoxAndSharpenFollowTheirDefinitions()
    {
        var box = Linear(KernelCatalog.Create("box", 5, null, MaxSize));
        Assert.True(box.IsSeparable);
        Assert.All(box.Values, v => Assert.Equal(1f / 25, v, 6));

        // sharpen = 2 * identity - box: sums to 1, centre 2 - 1/9.
        var sharpen = Linear(KernelCatalog.Create("sharpen", null, null, MaxSize));
        Assert.Equal(1.0, sharpen.Values.Sum(), 5);
        Assert.Equal(2 - 1 / 9f, sharpen[1, 1], 6);
        Assert.Equal(-1 / 9f, sharpen[0, 0], 6);
    }

    private static Kernel2D Linear(FilterKernel kernel) => Assert.IsType<FilterKernel.Linear>(kernel).Kernel;
}
