using ConvService.Contracts.Networks;
using ConvService.Inference.Networks;
using ConvService.Inference.Networks.BuiltIn;

namespace ConvService.Inference.Tests.Networks;

/// <summary>
/// The lecture's GoogLeNet table. Output sizes must match exactly. The params and ops columns are the paper's
/// rounded figures: params in K of 1024 weights (biases left out), ops in millions of multiply-adds; each row must
/// be within 8% of the exact count, except the conv1 row, which is an erratum.
/// </summary>
public sealed class GoogLeNetLectureTests
{
    private static readonly NetworkReport Report = NetworkAnalyzer.Analyze(BuiltInNetworks.Get("googlenet"));

    private static LayerReport Row(string name) => Report.Layers.Single(l => l.Name == name);

    [Theory]
    [InlineData("conv1/7x7_s2", "112x112x64")]
    [InlineData("pool1/3x3_s2", "56x56x64")]
    [InlineData("conv2/3x3", "56x56x192")]
    [InlineData("pool2/3x3_s2", "28x28x192")]
    [InlineData("inception_3a", "28x28x256")]
    [InlineData("inception_3b", "28x28x480")]
    [InlineData("pool3/3x3_s2", "14x14x480")]
    [InlineData("inception_4a", "14x14x512")]
    [InlineData("inception_4b", "14x14x512")]
    [InlineData("inception_4c", "14x14x512")]
    [InlineData("inception_4d", "14x14x528")]
    [InlineData("inception_4e", "14x14x832")]
    [InlineData("pool4/3x3_s2", "7x7x832")]
    [InlineData("inception_5a", "7x7x832")]
    [InlineData("inception_5b", "7x7x1024")]
    [InlineData("pool5/7x7_s1", "1x1x1024")]
    [InlineData("pool5/drop_7x7_s1", "1x1x1024")]
    [InlineData("loss3/classifier", "1x1x1000")]
    [InlineData("prob", "1x1x1000")]
    public void EveryOutputSizeOfTheTable(string layer, string size) => Assert.Equal(size, Row(layer).OutputShape);

    /// <summary>
    /// Each inception row exactly, from the paper's branch widths (Table 1): the 1x1 branch, the 3x3 branch with its
    /// 1x1 reduce, the 5x5 branch with its reduce, and the pool projection; multiply-adds are the weights times the
    /// output positions. The paper's own rounded columns are checked apart, below.
    /// </summary>
    [Theory]
    [InlineData("inception_3a", 192, 64, 96, 128, 16, 32, 32, 28)]
    [InlineData("inception_3b", 256, 128, 128, 192, 32, 96, 64, 28)]
    [InlineData("inception_4a", 480, 192, 96, 208, 16, 48, 64, 14)]
    [InlineData("inception_4b", 512, 160, 112, 224, 24, 64, 64, 14)]
    [InlineData("inception_4c", 512, 128, 128, 256, 24, 64, 64, 14)]
    [InlineData("inception_4d", 512, 112, 144, 288, 32, 64, 64, 14)]
    [InlineData("inception_4e", 528, 256, 160, 320, 32, 128, 128, 14)]
    [InlineData("inception_5a", 832, 256, 160, 320, 32, 128, 128, 7)]
    [InlineData("inception_5b", 832, 384, 192, 384, 48, 128, 128, 7)]
    public void EveryInceptionRowHasExactlyTheWeightsOfItsBranches(
        string layer, long input, long oneByOne, long reduce3, long threeByThree, long reduce5, long fiveByFive, long poolProjection, long side)
    {
        var weights = (input * oneByOne) + (input * reduce3) + (9 * reduce3 * threeByThree) + (input * reduce5)
            + (25 * reduce5 * fiveByFive) + (input * poolProjection);
        var row = Row(layer);
        Assert.Equal(weights, row.Weights);
        Assert.Equal(weights * side * side, row.Macs);
    }

    [Theory]
    [InlineData("inception_3a", 159, 128)]
    [InlineData("inception_3b", 380, 304)]
    [InlineData("inception_4a", 364, 73)]
    [InlineData("inception_4b", 437, 88)]
    [InlineData("inception_4c", 463, 100)]
    [InlineData("inception_4d", 580, 119)]
    [InlineData("inception_4e", 840, 170)]
    [InlineData("inception_5a", 1072, 54)]
    [InlineData("inception_5b", 1388, 71)]
    [InlineData("loss3/classifier", 1000, 1)]
    public void ThePapersRoundedParamsAndOpsColumnsAreWithinEightPercent(string layer, double kiloWeights, double megaOps)
    {
        var row = Row(layer);
        AssertWithin(kiloWeights, row.Weights / 1024.0, 0.08);
        AssertWithin(megaOps, row.Macs / 1e6, 0.08);
    }

    [Fact]
    public void Inception3aIsExactly163328WeightsThatIs159Point5KOf1024And128MOps()
    {
        var row = Row("inception_3a");
        Assert.Equal(163_328, row.Weights);
        Assert.Equal(159.5, row.Weights / 1024.0);
        Assert.Equal(163_328L * 28 * 28, row.Macs);
        Assert.True(row.IsBlock);
    }

    /// <summary>The table's second convolution row (depth 2) is the 1x1 reduce plus the 3x3: 112K and 360M.</summary>
    [Fact]
    public void Conv2RowCoversTheReduceAndTheThreeByThree()
    {
        var weights = Row("conv2/3x3_reduce").Weights + Row("conv2/3x3").Weights;
        var macs = Row("conv2/3x3_reduce").Macs + Row("conv2/3x3").Macs;
        Assert.Equal(114_688, weights);
        AssertWithin(112, weights / 1024.0, 0.08);
        AssertWithin(360, macs / 1e6, 0.08);
    }

    /// <summary>Erratum: the table's conv1 row says 2.7K params and 34M ops; 7x7x3x64 is 9,408 weights and 118M multiply-adds.</summary>
    [Fact]
    public void Conv1RowOfThePaperIsAnErratum_Exact9408WeightsAnd118MOps()
    {
        var row = Row("conv1/7x7_s2");
        Assert.Equal(9_408, row.Weights);
        Assert.Equal(9_408L * 112 * 112, row.Macs);
        Assert.Equal(118, (int)Math.Round(row.Macs / 1e6));
        Assert.True(Math.Abs(row.Weights / 1024.0 - 2.7) / 2.7 > 0.08);
    }

    /// <summary>
    /// Erratum: the lecture's "only 5 million params" is rounded down; the table's own rows add up to about 6.8M
    /// weights and the exact count with biases is 6,998,552.
    /// </summary>
    [Fact]
    public void TotalParametersAreAbout7MillionNotTheLectures5Million_Erratum()
    {
        Assert.Equal(6_998_552, Report.Totals.Parameters);
    }

    [Fact]
    public void ConvOneTileWithFitFloorAndPoolsUseCeilMode()
    {
        Assert.Contains("112.5, rounded down to 112", Row("conv1/7x7_s2").Formula);
        Assert.Contains("rounded up to 56 (ceil mode)", Row("pool1/3x3_s2").Formula);
    }

    private static void AssertWithin(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * expected, $"expected {expected} within {tolerance:P0}, got {actual:F1}");
}
