using ConvService.Inference.Errors;
using ConvService.Inference.Filters;

namespace ConvService.Inference.Tests.Filters;

/// <summary>A filter prepared once for an image size: its geometry is what it produces, and it runs only that size.</summary>
public sealed class PreparedFilterTests
{
    [Fact]
    public void RunsTheMeasuredGeometryAndMatchesTheReference()
    {
        var rng = new Random(3);
        var image = FilterTestData.RandomImage(rng, 23, 17, 2);
        var kernel = FilterTestData.RandomKernel(rng, 5, 3);
        var settings = new FilterSettings(Padding: PaddingMode.Explicit, Pad: 2, Stride: 3, FitFloor: true);

        var filter = ImageFilter.Prepare(23, 17, new FilterKernel.Linear(kernel), settings);
        var output = filter.Run(image);

        Assert.Equal((9, 6), (filter.Geometry.OutWidth, filter.Geometry.OutHeight)); // floor((23-3+4)/3)+1 = 9, floor((17-5+4)/3)+1 = 6
        Assert.Equal((9, 6, 2), (output.Width, output.Height, output.Channels));
        FilterTestData.AssertClose(NaiveFilter.Run(image, new FilterKernel.Linear(kernel), settings), output, "prepared");
    }

    [Fact]
    public void AnImageOfAnotherSizeIsRefused()
    {
        var filter = ImageFilter.Prepare(8, 8, new FilterKernel.Linear(new Kernel2D(3, 3, [0, 0, 0, 0, 1, 0, 0, 0, 0])), new FilterSettings());
        var error = Assert.Throws<ArgumentException>(() => filter.Run(new FloatImage(9, 8, 1)));
        Assert.Contains("8x8", error.Message);
    }

    [Theory]
    [InlineData(0, 0, "Invalid stride")]
    [InlineData(1, -1, "Invalid padding")]
    public void SettingsNoImageCouldMakeValidAreRefusedBeforeMeasuring(int stride, int pad, string title)
    {
        var settings = new FilterSettings(Padding: PaddingMode.Explicit, Pad: pad, Stride: stride);
        Assert.Equal(title, Assert.Throws<ConvServiceException>(() => settings.Check()).Title);
        Assert.Equal(title, Assert.Throws<ConvServiceException>(() => ImageFilter.Measure(8, 8, 3, 3, settings)).Title);
    }
}
