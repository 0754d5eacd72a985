using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Kernels.Gemm;

public sealed class SgemmTests
{
    public static TheoryData<SimdLevel> Levels => new() { SimdLevel.Scalar, SimdLevel.Vector128, SimdLevel.Vector256, SimdLevel.Vector512 };

    private static readonly int[] EdgeSizes = [1, 2, 3, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 70];

    [SkippableTheory]
    [MemberData(nameof(Levels))]
    public void SmallShapesMatchTheReference(SimdLevel level)
    {
        SimdLevels.Require(level);
        var random = new Random(1000 + (int)level);
        for (var trial = 0; trial < 120; trial++)
        {
            var m = Pick(random, trial, 0);
            var n = Pick(random, trial, 1);
            var k = Pick(random, trial, 2);
            var transA = random.Next(2) == 1;
            var transB = random.Next(2) == 1;
            var alpha = trial % 3 == 0 ? 1f : (float)(random.NextDouble() * 2 - 1);
            var beta = (trial % 4) switch { 0 => 0f, 1 => 1f, _ => (float)(random.NextDouble() * 2 - 1) };
            CheckAgainstReference(level, transA, transB, m, n, k, alpha, beta, 1, random.Next());
        }
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Scalar, 40, 70, 300, 1)]
    [InlineData(SimdLevel.Vector256, 129, 300, 520, 2)]
    [InlineData(SimdLevel.Vector128, 129, 300, 520, 2)]
    [InlineData(SimdLevel.Vector512, 129, 300, 520, 2)]
    [InlineData(SimdLevel.Vector512, 64, 1000, 257, 2)]
    [InlineData(SimdLevel.Vector512, 200, 20, 600, 2)]
    [InlineData(SimdLevel.Vector256, 1, 1000, 512, 2)]
    [InlineData(SimdLevel.Vector128, 1, 1000, 512, 2)]
    public void LargerShapesCrossingTheKBlockMatchTheReference(SimdLevel level, int m, int n, int k, int threads)
    {
        SimdLevels.Require(level);
        CheckAgainstReference(level, false, false, m, n, k, 1f, 0f, threads, 7);
        CheckAgainstReference(level, true, true, m, n, k, 0.5f, 2f, threads, 8);
    }

    [SkippableTheory]
    [MemberData(nameof(Levels))]
    public void PrepackedBMatchesTheReference(SimdLevel level)
    {
        SimdLevels.Require(level);
        var random = new Random(2000 + (int)level);
        for (var trial = 0; trial < 60; trial++)
        {
            var m = Pick(random, trial, 0);
            var n = Pick(random, trial, 1);
            var k = Pick(random, trial, 2);
            var beta = trial % 2 == 0 ? 0f : 0.5f;
            CheckAgainstReference(level, random.Next(2) == 1, random.Next(2) == 1, m, n, k, 1.5f, beta, 1 + trial % 2, random.Next(), packed: true);
        }

        CheckAgainstReference(level, false, true, 3, 300, 700, 1f, 0f, 2, 9, packed: true);
    }

    [SkippableTheory]
    [MemberData(nameof(Levels))]
    public void BetaZeroIgnoresNaNInTheOutput(SimdLevel level)
    {
        SimdLevels.Require(level);
        const int m = 9, n = 33, k = 17;
        var a = KernelTestData.Uniform(1, m * k);
        var b = KernelTestData.Uniform(2, k * n);
        var c = Enumerable.Repeat(float.NaN, m * n).ToArray();
        Sgemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n, 1, level);
        var expected = new float[m * n];
        SgemmReference.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, expected, n);
        KernelTestData.AssertClose(expected, c, 1e-5f, "beta 0 over NaN");
    }

    [SkippableFact]
    public void ZeroDepthOnlyScalesTheOutput()
    {
        float[] c = [1, 2, 3, 4];
        Sgemm.Multiply(false, false, 2, 2, 0, 1f, [], 1, [], 2, 3f, c, 2);
        Assert.Equal([3f, 6, 9, 12], c);
    }

    [SkippableFact]
    public void TooShortABufferIsRefused()
    {
        var c = new float[4];
        Assert.Throws<ArgumentException>(() => Sgemm.Multiply(false, false, 2, 2, 3, 1f, new float[5], 3, new float[6], 2, 0f, c, 2));
    }

    private static int Pick(Random random, int trial, int axis) =>
        (trial + axis) % 3 == 0 ? EdgeSizes[random.Next(EdgeSizes.Length)] : random.Next(1, 71);

    /// <summary>Runs ours inside a C buffer padded with guard values (before, after and between rows).</summary>
    private static void CheckAgainstReference(SimdLevel level, bool transA, bool transB, int m, int n, int k, float alpha, float beta, int threads, int seed, bool packed = false)
    {
        SimdLevels.Require(level);
        var lda = (transA ? m : k) + seed % 3;
        var ldb = (transB ? k : n) + seed % 2;
        var ldc = n + 3;
        const int guard = 40;
        var a = KernelTestData.Uniform(seed, (transA ? k : m) * lda);
        var b = KernelTestData.Uniform(seed + 1, (transB ? n : k) * ldb);
        var initial = KernelTestData.Uniform(seed + 2, m * ldc);
        var expected = (float[])initial.Clone();
        SgemmReference.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);

        var buffer = Enumerable.Repeat(KernelTestData.Guard, guard + m * ldc + guard).ToArray();
        for (var i = 0; i < m; i++)
        {
            initial.AsSpan(i * ldc, n).CopyTo(buffer.AsSpan(guard + i * ldc));
        }

        var c = buffer.AsSpan(guard, (m - 1) * ldc + n);
        if (packed)
        {
            Sgemm.Multiply(transA, m, alpha, a, lda, PackedMatrix.Create(transB, k, n, b, ldb, level), beta, c, ldc, threads);
        }
        else
        {
            Sgemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads, level);
        }

        var context = $"{level} packed={packed} m={m} n={n} k={k} tA={transA} tB={transB} alpha={alpha} beta={beta}";
        var tolerance = 2e-6f * (k + 8);
        KernelTestData.AssertGuards(buffer.AsSpan(0, guard), context + " (before)");
        for (var i = 0; i < m; i++)
        {
            var row = buffer.AsSpan(guard + i * ldc);
            KernelTestData.AssertClose(expected.AsSpan(i * ldc, n), row[..n], tolerance, $"{context} row {i}");
            KernelTestData.AssertGuards(i < m - 1 ? row.Slice(n, ldc - n) : row.Slice(n, 3 + guard), context + $" (after row {i})");
        }
    }
}
