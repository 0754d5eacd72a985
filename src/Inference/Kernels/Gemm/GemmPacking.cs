namespace ConvService.Inference.Kernels.Gemm;

/// <summary>Lays A out the way the micro-kernels read it: panels of MR rows, MR consecutive values per k.</summary>
internal static unsafe class GemmPacking
{
    /// <summary>Floats <see cref="PackA"/> writes for an m x k matrix at this level.</summary>
    public static long PackedASize(SimdLevel level, int m, int k) => (long)GemmTile.RoundUp(m, GemmTile.Rows(level)) * k;

    /// <summary>Packs alpha * op(A) (m x k); rows past m are zero so edge tiles compute harmless zeros.</summary>
    public static void PackA(SimdLevel level, bool transpose, int m, int k, float alpha, float* a, int lda, float* dest)
    {
        var mr = GemmTile.Rows(level);
        for (var i0 = 0; i0 < m; i0 += mr)
        {
            var rows = Math.Min(mr, m - i0);
            var panel = dest + (long)i0 * k;
            for (var p = 0; p < k; p++)
            {
                var slot = panel + (long)p * mr;
                for (var r = 0; r < rows; r++)
                {
                    var i = i0 + r;
                    slot[r] = alpha * (transpose ? a[(long)p * lda + i] : a[(long)i * lda + p]);
                }

                for (var r = rows; r < mr; r++)
                {
                    slot[r] = 0f;
                }
            }
        }
    }

    /// <summary>Floats <see cref="PackB"/> writes for a k x n matrix at this level.</summary>
    public static long PackedBSize(SimdLevel level, int k, int n) => (long)GemmTile.RoundUp(n, GemmTile.Columns(level)) * k;

    /// <summary>
    /// Packs op(B) (k x n) into column panels of NR: panel j holds, for each k, NR consecutive columns (zero past n),
    /// so panel q/NR starts at dest + q * k.
    /// </summary>
    public static void PackB(SimdLevel level, bool transpose, int k, int n, float* b, int ldb, float* dest)
    {
        var nr = GemmTile.Columns(level);
        for (var q0 = 0; q0 < n; q0 += nr)
        {
            var panel = dest + (long)q0 * k;
            for (var p = 0; p < k; p++)
            {
                var row = panel + (long)p * nr;
                for (var j = 0; j < nr; j++)
                {
                    var q = q0 + j;
                    row[j] = q >= n ? 0f : transpose ? b[(long)q * ldb + p] : b[(long)p * ldb + q];
                }
            }
        }
    }

    /// <summary>Bias copied into a row count rounded up to the tile rows, zero past m.</summary>
    public static float[] PadBias(SimdLevel level, ReadOnlySpan<float> bias, int m)
    {
        var padded = new float[GemmTile.RoundUp(Math.Max(m, 1), GemmTile.Rows(level))];
        bias[..Math.Min(bias.Length, m)].CopyTo(padded);
        return padded;
    }
}
