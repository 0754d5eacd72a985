using ConvService.Inference.Errors;
using ConvService.Inference.Filters;

namespace ConvService.Inference.Tests.Filters;

public sealed class KernelMatrixTests
{
    [Fact]
    public void ParsesRectangularAndEvenMatrices()
    {
        var k = KernelMatrix.Parse([[1, 2], [3, 4], [5, 6]], 7);
        Assert.Equal(3, k.Rows);
        Assert.Equal(2, k.Cols);
        Assert.Equal([1f, 2, 3, 4, 5, 6], k.Values);
        Assert.False(k.IsSeparable);
    }

    [Fact]
    public void RankOneMatricesGetSeparableFactors()
    {
        double[] column = [1, -2, 0.5];
        double[] row = [3, 0, -1, 2];
        var rows = column.Select(c => row.Select(r => c * r).ToArray()).ToArray();
        var k = KernelMatrix.Parse(rows, 7);
        Assert.True(k.IsSeparable);
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                Assert.Equal(k[i, j], k.ColumnFactor![i] * k.RowFactor![j], 5);
            }
        }
    }

    [Fact]
    public void NearlyRankOneButNotQuiteStaysGeneral()
    {
        var k = KernelMatrix.Parse([[1, 1, 1], [1, 1, 1], [1, 1, 1.01]], 7);
        Assert.False(k.IsSeparable);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(1e300)]
    public void NonFiniteValuesNameTheirRowAndColumn(double bad)
    {
        var e = Assert.Throws<ConvServiceException>(() => KernelMatrix.Parse([[0, 0, 0], [0, 0, bad]], 7));
        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
        Assert.Contains("row 1, column 2", e.Message);
    }

    [Fact]
    public void MalformedMatricesAreBadRequests()
    {
        Assert.Contains("no rows", Assert.Throws<ConvServiceException>(() => KernelMatrix.Parse([], 7)).Message);
        Assert.Contains("row 1", Assert.Throws<ConvServiceException>(() => KernelMatrix.Parse([[1, 2], [3]], 7)).Message);
        Assert.Contains("row 0", Assert.Throws<ConvServiceException>(() => KernelMatrix.Parse([[]], 7)).Message);
        Assert.Contains("at most 3", Assert.Throws<ConvServiceException>(() => KernelMatrix.Parse([[1, 2, 3, 4]], 3)).Message);
    }
}
