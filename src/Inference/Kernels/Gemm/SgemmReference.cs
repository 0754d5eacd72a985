namespace ConvService.Inference.Kernels.Gemm;

/// <summary>The plain triple loop: the oracle for every fast GEMM path.</summary>
public static class SgemmReference
{
    public static void Multiply(
        bool transposeA,
        bool transposeB,
        int m,
        int n,
        int k,
        float alpha,
        ReadOnlySpan<float> a,
        int lda,
        ReadOnlySpan<float> b,
        int ldb,
        float beta,
        Span<float> c,
        int ldc)
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var p = 0; p < k; p++)
                {
                    var av = transposeA ? a[p * lda + i] : a[i * lda + p];
                    var bv = transposeB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)av * bv;
                }

                // beta == 0 must ignore C entirely (it may hold NaN from a reused buffer).
                var previous = beta == 0f ? 0f : beta * c[i * ldc + j];
                c[i * ldc + j] = (float)(alpha * sum) + previous;
            }
        }
    }
}
