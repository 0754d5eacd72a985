using System.Runtime.Intrinsics;
using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Kernels.Conv;

/// <summary>
/// The register transposes the direct channel-vector kernel stores its tiles through, against their definitions. At
/// Vector512, 16x16: result[c][j] = source[j * stride + c] for each of the first <c>rows</c> positions, zero after
/// them, every row count from none to all sixteen, with the tile's own stride (32 channels) and a tight one. At
/// Vector256, 8x8 with each row at its own offset (positions from several tiles): result[c][j] = source[offsets[j] + c].
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

    public static TheoryData<int, int> RowCounts()
    {
        var data = new TheoryData<int, int>();
        foreach (var seed in new[] { 1, 2 })
        {
            for (var rows = 0; rows <= 8; rows++)
            {
                data.Add(rows, seed);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(RowCounts))]
    public void EightByEightTransposeReadsEachRowFromItsOffset(int rows, int seed)
    {
        SimdLevels.Require(SimdLevel.Vector256);
        var source = KernelTestData.Uniform(950 + (rows * 3) + seed, 400);

        // Rows out of order and apart, as positions of consecutive tiles are (3 positions of 32 channels a tile).
        var random = new Random(seed);
        var offsets = Enumerable.Range(0, 8).Select(_ => random.Next(0, 392)).ToArray();
        var expected = new float[64];
        var actual = new Vector256<float>[8];
        fixed (float* s = source, e = expected)
        fixed (int* o = offsets)
        fixed (Vector256<float>* a = actual)
        {
            TileTranspose256.TransposeScalar(s, o, rows, e);
            TileTranspose256.Transpose(s, o, rows, a);
        }

        for (var c = 0; c < 8; c++)
        {
            for (var j = 0; j < 8; j++)
            {
                Assert.True(expected[(c * 8) + j].Equals(actual[c][j]), $"{rows} rows, seed {seed}: [{c}][{j}] is {actual[c][j]}, expected {expected[(c * 8) + j]}");
            }
        }
    }
}
