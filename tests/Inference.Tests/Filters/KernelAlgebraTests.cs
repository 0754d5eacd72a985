using ConvService.Inference.Filters;
using static ConvService.Inference.Tests.Filters.FilterTestData;

namespace ConvService.Inference.Tests.Filters;

public sealed class KernelAlgebraTests
{
    [Fact]
    public void ComposingIsTheFullConvolutionOfTheKernels()
    {
        var a = new Kernel2D(1, 2, [1, 2]);
        var b = new Kernel2D(2, 1, [3, 4]);
        var c = KernelAlgebra.Compose(a, b);
        Assert.Equal(2, c.Rows);
        Assert.Equal(2, c.Cols);
        Assert.Equal([3f, 6, 4, 8], c.Values);

        var d = KernelAlgebra.Compose(new Kernel2D(1, 2, [1, 1]), new Kernel2D(1, 2, [1, -1]));
        Assert.Equal([1f, 0, -1], d.Values);
    }

    [Fact]
    public void CompositionIsAssociativeOnKernels()
    {
        var rng = new Random(21);
        var a = RandomKernel(rng, 3, 3);
        var b1 = RandomKernel(rng, 2, 3);
        var b2 = RandomKernel(rng, 3, 2);
        var left = KernelAlgebra.Compose(a, KernelAlgebra.Compose(b1, b2));
        var right = KernelAlgebra.Compose(KernelAlgebra.Compose(a, b1), b2);
        Assert.Equal(6, left.Rows);
        Assert.Equal(6, left.Cols);
        for (var i = 0; i < left.Values.Length; i++)
        {
            Assert.Equal(right.Values[i], left.Values[i], 4);
        }
    }

    [Theory]
    [InlineData(FilterOp.Convolve)]
    [InlineData(FilterOp.Correlate)]
    public void FilteringThreeTimesEqualsFilteringOnceWithTheComposition(FilterOp op)
    {
        // The lecture's (f * a) * b1 * b2 = f * (a * b1 * b2), checked on the interior (valid padding).
        var rng = new Random(22);
        var f = RandomImage(rng, 23, 19, 2);
        var a = RandomKernel(rng, 3, 3);
        var b1 = RandomKernel(rng, 2, 3);
        var b2 = RandomSeparable(rng, 3, 2);
        var valid = new FilterSettings(op, Padding: PaddingMode.Valid);

        var stepwise = ImageFilter.Apply(f, new FilterKernel.Linear(a), valid);
        stepwise = ImageFilter.Apply(stepwise, new FilterKernel.Linear(b1), valid);
        stepwise = ImageFilter.Apply(stepwise, new FilterKernel.Linear(b2), valid);
        var once = ImageFilter.Apply(f, new FilterKernel.Linear(KernelAlgebra.Compose(KernelAlgebra.Compose(a, b1), b2)), valid);

        AssertClose(stepwise, once, $"{op}");
    }

    [Fact]
    public void FullZeroPaddedFilteringComposesEverywhere()
    {
        var rng = new Random(23);
        var f = RandomImage(rng, 12, 9, 1);
        var a = RandomKernel(rng, 3, 3);
        var b = RandomKernel(rng, 5, 5);
        FilterSettings Full(int size) => new(FilterOp.Convolve, BorderMode.Zero, PaddingMode.Explicit, Pad: size - 1);

        var stepwise = ImageFilter.Apply(ImageFilter.Apply(f, new FilterKernel.Linear(a), Full(3)), new FilterKernel.Linear(b), Full(5));
        var once = ImageFilter.Apply(f, new FilterKernel.Linear(KernelAlgebra.Compose(a, b)), Full(7));

        AssertClose(stepwise, once, "full");
    }

    [Fact]
    public void SeparableKernelsComposeIntoSeparableKernels()
    {
        var g = KernelAlgebra.Compose(Kernel2D.Outer([1, 2, 1], [1, 0, -1]), Kernel2D.Outer([1, 1], [1, 1]));
        Assert.True(g.IsSeparable);
        Assert.Equal([1f, 3, 3, 1], g.ColumnFactor!);
        Assert.Equal([1f, 1, -1, -1], g.RowFactor!);
    }
}
