using ConvService.Inference.Errors;
using ConvService.Inference.FilterBanks;
using ConvService.Inference.Filters;
using Catalog = ConvService.Inference.FilterBanks.FilterBanks;

namespace ConvService.Inference.Tests.FilterBanks;

public sealed class RespondTests
{
    [Fact]
    public void MaximumResponseReductionIsThePerPixelMaxOverTheSixOrientations()
    {
        var bank = Catalog.Get("mr8");
        var image = PlainFiltering.RandomGray(17, 13, seed: 8);

        var responses = bank.Respond(image, PlainFiltering.Correlate);

        // By hand: convolve with each of the 38 filters as the reference code does, then take the maxima.
        var single = bank.Filters.Select(f => PlainFiltering.Convolve(image, f.Kernel)).ToArray();
        Assert.Equal(8, responses.Count);
        Assert.Equal(bank.ResponseNames, responses.Select(r => r.Name));
        for (var set = 0; set < 6; set++)
        {
            for (var i = 0; i < image.PlaneSize; i++)
            {
                var expected = Enumerable.Range(set * 6, 6).Max(f => single[f].Data[i]);
                Assert.Equal(expected, responses[set].Response.Data[i], 1e-6f);
            }
        }

        Assert.Equal(single[36].Data, responses[6].Response.Data, new ToleranceComparer(1e-6f));
        Assert.Equal(single[37].Data, responses[7].Response.Data, new ToleranceComparer(1e-6f));

        // The maximum genuinely picks different orientations at different pixels.
        var winners = Enumerable.Range(0, image.PlaneSize).Select(i => Enumerable.Range(0, 6).MaxBy(o => single[o].Data[i])).Distinct().Count();
        Assert.True(winners > 1);
    }

    [Fact]
    public void ResponsesAreConvolutionsLikeTheReferenceCode()
    {
        var bank = Catalog.Get("lm");
        var image = PlainFiltering.RandomGray(11, 9, seed: 3);

        var responses = bank.Respond(image, PlainFiltering.Correlate);

        Assert.Equal(48, responses.Count);
        for (var f = 0; f < 48; f++)
        {
            var expected = PlainFiltering.Convolve(image, bank.Filters[f].Kernel);
            Assert.Equal(bank.Filters[f].Name, responses[f].Name);
            Assert.Equal((11, 9, 1), (responses[f].Response.Width, responses[f].Response.Height, responses[f].Response.Channels));
            Assert.Equal(expected.Data, responses[f].Response.Data, new ToleranceComparer(1e-6f));
        }

        // For an odd filter convolution and correlation differ by sign, so this test can tell them apart.
        var correlated = PlainFiltering.Correlate(image, bank.Filters[0].Kernel);
        Assert.Equal(correlated.Data.Select(v => -v), responses[0].Response.Data, new ToleranceComparer(1e-6f));
        Assert.True(correlated.Data.Max(Math.Abs) > 1e-3f);
    }

    [Fact]
    public void EachResponseCarriesItsStatistics()
    {
        var responses = Catalog.Get("s").Respond(PlainFiltering.RandomGray(12, 10, seed: 5), PlainFiltering.Correlate);

        Assert.Equal(13, responses.Count);
        foreach (var response in responses)
        {
            var values = response.Response.Data.Select(v => (double)v).ToArray();
            var mean = values.Average();
            Assert.Equal(mean, response.Mean, 9);
            Assert.Equal(Math.Sqrt(values.Average(v => (v - mean) * (v - mean))), response.Std, 9);
            Assert.Equal(values.Average(v => v * v), response.Energy, 9);
            Assert.Equal(response.Statistics, FilterBank.Statistics(response.Response));
        }
    }

    [Theory]
    [InlineData(new float[] { 1, 2, 3, 4 }, 2.5, 1.118033988749895, 7.5)]
    [InlineData(new float[] { -3 }, -3, 0, 9)]
    [InlineData(new float[] { 5, 5, 5, 5, 5, 5, 5 }, 5, 0, 25)]
    public void StatisticsAreMeanPopulationStdAndMeanSquare(float[] values, double mean, double std, double energy)
    {
        var statistics = FilterBank.Statistics(values);

        Assert.Equal(mean, statistics.Mean, 9);
        Assert.Equal(std, statistics.Std, 9);
        Assert.Equal(energy, statistics.Energy, 9);
    }

    [Fact]
    public void ColourImageIsRefusedWithAFix()
    {
        var error = Assert.Throws<ConvServiceException>(() => Catalog.Get("mr8").Respond(new FloatImage(4, 4, 3), PlainFiltering.Correlate));

        Assert.Equal(ErrorKind.DoesNotFit, error.Kind);
        Assert.Contains("3 channels", error.Message, StringComparison.Ordinal);
        Assert.Contains("grayscale", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorrelatorReturningTheWrongShapeIsAnEngineBug()
    {
        var image = new FloatImage(6, 5, 1);

        Assert.Throws<InvalidOperationException>(() => Catalog.Get("s").Respond(image, (_, _) => new FloatImage(5, 6, 1)));
    }

    [Theory]
    [InlineData("s")]
    [InlineData("mr8")]
    public void CorrelatorReusingItsOutputBufferIsRefusedRatherThanOverwritingResponses(string bank)
    {
        var image = PlainFiltering.RandomGray(9, 9, seed: 11);
        var shared = new FloatImage(9, 9, 1);
        FloatImage Reusing(FloatImage input, Kernel2D kernel)
        {
            PlainFiltering.Correlate(input, kernel).Data.CopyTo(shared.Data, 0);
            return shared;
        }

        Assert.Throws<InvalidOperationException>(() => Catalog.Get(bank).Respond(image, Reusing));
        Assert.Throws<InvalidOperationException>(() => Catalog.Get(bank).Respond(image, (input, _) => input));
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
