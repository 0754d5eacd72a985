namespace ConvService.Inference.Kernels.Gemm;

/// <summary>
/// Single-precision matrix multiply, row-major: C = alpha * op(A) * op(B) + beta * C, where op(A) is M x K and
/// op(B) is K x N. Used by fully connected layers and by convolutions lowered to GEMM.
/// </summary>
public static class Sgemm
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
        int ldc,
        int degreeOfParallelism = 1) =>
        SgemmReference.Multiply(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
