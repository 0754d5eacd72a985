using ConvService.Inference.Errors;
using ConvService.Inference.Filters;

namespace ConvService.Inference.Tests.Filters;

public sealed class FilterGeometryTests
{
    [Theory]
    [InlineData(10, 3, 1, 10, 1, 1)]
    [InlineData(10, 4, 1, 10, 1, 2)]
    [InlineData(10, 2, 1, 10, 0, 1)]
    [InlineData(7, 3, 2, 4, 1, 1)]
    [InlineData(10, 3, 2, 5, 0, 1)]
    [InlineData(1, 5, 1, 1, 2, 2)]
    [InlineData(10, 1, 4, 3, 0, 0)]
    public void SameFollowsTensorFlow(int n, int f, int stride, int expectedOut, int before, int after)
    {
        var g = ImageFilter.Measure(n, n, f, f, new FilterSettings(Padding: PaddingMode.Same, Stride: stride));
        Assert.Equal(expectedOut, g.OutWidth);
        Assert.Equal(expectedOut, g.OutHeight);
        Assert.Equal(before, g.PadLeft);
        Assert.Equal(before, g.PadTop);
        Assert.Equal(after, g.PadRight);
        Assert.Equal(after, g.PadBottom);
    }

    [Fact]
    public void ValidShowsTheWorkedFormula()
    {
        var g = ImageFilter.Measure(10, 12, 3, 5, new FilterSettings(Padding: PaddingMode.Valid));
        Assert.Equal(6, g.OutWidth);
        Assert.Equal(10, g.OutHeight);
        Assert.Equal("(10 - 5)/1 + 1 = 6", g.WidthFormula);
        Assert.Equal("(12 - 3)/1 + 1 = 10", g.HeightFormula);
        Assert.Equal(0, g.PadTop + g.PadLeft + g.PadBottom + g.PadRight);
    }

    [Fact]
    public void ExplicitPadsAllSides()
    {
        var g = ImageFilter.Measure(227, 227, 11, 11, new FilterSettings(Padding: PaddingMode.Explicit, Pad: 2, Stride: 4));
        Assert.Equal(56, g.OutWidth);
        Assert.Equal(2, g.PadTop);
        Assert.Equal(2, g.PadRight);
        Assert.Equal("(227 - 11 + 2*2)/4 + 1 = 56", g.WidthFormula);
    }

    [Fact]
    public void AStrideThatDoesNotFitIsRefusedWithTheWorkedFormula()
    {
        var e = Assert.Throws<ConvServiceException>(() => ImageFilter.Measure(7, 7, 3, 3, new FilterSettings(Padding: PaddingMode.Valid, Stride: 3)));
        Assert.Equal(ErrorKind.DoesNotFit, e.Kind);
        Assert.StartsWith("(7 - 3)/3 + 1 = 2.33: a 3x3 filter at stride 3 does not fit a 7x7 input", e.Message);
        Assert.Contains("fit=floor", e.Message);
        Assert.Contains("stride 1, 2 or 4", e.Message);
    }

    [Fact]
    public void ThePadTermIsShownWhenThereIsPadding()
    {
        var e = Assert.Throws<ConvServiceException>(() => ImageFilter.Measure(8, 8, 3, 3, new FilterSettings(Padding: PaddingMode.Explicit, Pad: 1, Stride: 2)));
        Assert.StartsWith("(8 - 3 + 2*1)/2 + 1 = 4.50: a 3x3 filter at stride 2 does not fit a 8x8 input", e.Message);
    }

    [Fact]
    public void FitFloorDropsThePartialWindow()
    {
        var g = ImageFilter.Measure(7, 7, 3, 3, new FilterSettings(Padding: PaddingMode.Valid, Stride: 3, FitFloor: true));
        Assert.Equal(2, g.OutWidth);
        Assert.Equal("floor((7 - 3)/3) + 1 = 2", g.WidthFormula);
    }

    [Fact]
    public void AKernelLargerThanThePaddedImageIsRefused()
    {
        var e = Assert.Throws<ConvServiceException>(() => ImageFilter.Measure(3, 3, 5, 5, new FilterSettings(Padding: PaddingMode.Valid)));
        Assert.Equal(ErrorKind.DoesNotFit, e.Kind);
        Assert.StartsWith("(3 - 5)/1 + 1 = -1: a 5x5 filter is larger than the 3x3 input", e.Message);
        Assert.Contains("pad of at least 1", e.Message);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-1, 0)]
    [InlineData(1, -1)]
    public void BadStrideOrPadIsABadRequest(int stride, int pad)
    {
        var e = Assert.Throws<ConvServiceException>(() => ImageFilter.Measure(10, 10, 3, 3, new FilterSettings(Padding: PaddingMode.Explicit, Pad: pad, Stride: stride)));
        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
    }

    [Fact]
    public void PaddingLargerThanTheImageIsRefusedButEqualIsFine()
    {
        foreach (var border in Enum.GetValues<BorderMode>())
        {
            var e = Assert.Throws<ConvServiceException>(() => ImageFilter.Measure(4, 10, 3, 3, new FilterSettings(Border: border, Padding: PaddingMode.Explicit, Pad: 5)));
            Assert.Equal(ErrorKind.DoesNotFit, e.Kind);
            Assert.Contains("at most 4", e.Message);
            Assert.Equal(10, ImageFilter.Measure(4, 10, 3, 3, new FilterSettings(Border: border, Padding: PaddingMode.Explicit, Pad: 4)).OutWidth);
        }
    }

    [Fact]
    public void EvenKernelsWorkWithSamePaddingAtAnyStride()
    {
        var g = ImageFilter.Measure(9, 9, 4, 2, new FilterSettings(Stride: 2));
        Assert.Equal(5, g.OutWidth);
        Assert.Equal(5, g.OutHeight);
        Assert.Equal(1, g.PadTop);
        Assert.Equal(2, g.PadBottom);
        Assert.Equal(0, g.PadLeft);
        Assert.Equal(1, g.PadRight);
    }
}
