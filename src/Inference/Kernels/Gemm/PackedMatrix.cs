namespace ConvService.Inference.Kernels.Gemm;

/// <summary>
/// A constant right-hand matrix op(B) (K x N), packed once into the micro-kernels' column panels, e.g. a fully
/// connected layer's weights (ONNX Gemm with transB = 1 stores them N x K). Pass it to
/// <see cref="Sgemm.Multiply(bool, int, float, ReadOnlySpan{float}, int, PackedMatrix, float, Span{float}, int, int)"/>.
/// </summary>
public sealed unsafe class PackedMatrix
{
    private PackedMatrix(int k, int n, SimdLevel level, float[] panels)
    {
        K = k;
        N = n;
        Level = level;
        Panels = panels;
    }

    public int K { get; }

    public int N { get; }

    public SimdLevel Level { get; }

    internal float[] Panels { get; }

    /// <summary>Packs op(B), where B is stored row-major with leading dimension ldb (N x K when transposed).</summary>
    public static PackedMatrix Create(bool transposeB, int k, int n, ReadOnlySpan<float> b, int ldb, SimdLevel? simdLevel = null)
    {
        if (k < 1 || n < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(k), $"A packed matrix needs k and n of at least 1 (k={k}, n={n}).");
        }

        int rows = transposeB ? n : k, columns = transposeB ? k : n;
        if (ldb < columns || (long)(rows - 1) * ldb + columns > b.Length)
        {
            throw new ArgumentException($"b holds {b.Length} floats with leading dimension {ldb}; a {rows}x{columns} matrix needs ldb >= {columns} and {(long)(rows - 1) * ldb + columns} floats.", nameof(b));
        }

        var level = simdLevel is { } requested ? SimdCapabilities.Require(requested) : SimdCapabilities.Best;
        var panels = new float[GemmPacking.PackedBSize(level, k, n)];
        fixed (float* source = b, dest = panels)
        {
            GemmPacking.PackB(level, transposeB, k, n, source, ldb, dest);
        }

        return new PackedMatrix(k, n, level, panels);
    }
}
