using System.Runtime.Intrinsics;
using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Kernels.Conv;

/// <summary>
/// The 16x16 register transpose the direct channel-vector kernel stores its tiles through, against its definition:
/// result[c][j] = source[j * stride + c] for each of the first <c>rows</c> positions, zero after them. Every row count
/// from none to all sixteen, with the tile's own stride (32 channels) and a tight one.
/// </summary>
public sealed unsafe class TileTransposeTests
{
    public static TheoryData<int, int> Shapes()
    {
        var data = new TheoryData<int, int>();
        foreach (var stride in new[] { 16, 32 })
        {
            for (var rows = 0; rows <= 16; rows++)
            {
                data.Add(rows, stride);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Shapes))]
    public void TransposeMatchesItsDefinition(int rows, int stride)
    {
        SimdLevels.Require(SimdLevel.Vector512);
        var source = KernelTestData.Uniform(900 + rows + stride, 16 * stride);
        var expected = new float[256];
        var actual = new Vector512<float>[16];
        fixed (float* s = source, e = expected)
        fixed (Vector512<float>* a = actual)
        {
            TileTranspose512.TransposeScalar(s, stride, rows, e);
            TileTranspose512.Transpose(s, stride, rows, a);
        }

        for (var c = 0; c < 16; c++)
        {
            for (var j = 0; j < 16; j++)
            {
                Assert.True(expected[(c * 16) + j].Equals(actual[c][j]), $"{rows} rows, stride {stride}: [{c}][{j}] is {actual[c][j]}, expected {expected[(c * 16) + j]}");
            }
        }
    }
}
