using System.Buffers;
using ConvService.Inference.Workers;

namespace ConvService.Inference.Kernels.Gemm;

/// <summary>
/// Single-precision matrix multiply, row-major: C = alpha * op(A) * op(B) + beta * C, where op(A) is M x K and
/// op(B) is K x N. Used by fully connected layers and by convolutions lowered to GEMM.
/// </summary>
public static unsafe class Sgemm
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
        Multiply(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, degreeOfParallelism, SimdCapabilities.Best);

    /// <summary>As above, on an explicit instruction width (capped by the CPU): tests use it to run every path.</summary>
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
        int degreeOfParallelism,
        SimdLevel simdLevel)
    {
        Validate(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }

        ScaleRows(c, m, n, ldc, beta);
        if (k == 0 || alpha == 0f)
        {
            return;
        }

        var level = SimdCapabilities.Require(simdLevel);
        var packedSize = (int)GemmPacking.PackedASize(level, m, k);
        var workers = SplitWorkers(level, m, n, k, Math.Max(1, degreeOfParallelism));
        var packedA = ArrayPool<float>.Shared.Rent(packedSize);
        var offsets = ArrayPool<int>.Shared.Rent(k);
        var work = ArrayPool<float>.Shared.Rent(workers * GemmTile.WorkFloats);
        try
        {
            fixed (float* pa = a, pb = b, pc = c, packA = packedA, pw = work)
            fixed (int* po = offsets)
            {
                GemmPacking.PackA(level, transposeA, m, k, alpha, pa, lda, packA);
                // Op(B) row p, column j: b[p * ldb + j], or b[j * ldb + p] when transposed (packed per panel).
                for (var p = 0; p < k; p++)
                {
                    po[p] = transposeB ? p : p * ldb;
                }

                var job = new GemmJob
                {
                    Level = level, M = m, N = n, K = k, PackedA = packA, B = pb, Offsets = po, ColumnStride = transposeB ? ldb : 1, C = pc, Ldc = ldc,
                    Work = pw, Workers = workers,
                };
                if (workers == 1)
                {
                    job.Run(0);
                }
                else
                {
                    KernelWorkers.Run(job, workers);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packedA);
            ArrayPool<int>.Shared.Return(offsets);
            ArrayPool<float>.Shared.Return(work);
        }
    }

    /// <summary>
    /// C = alpha * op(A) * B + beta * C with B packed once by <see cref="PackedMatrix.Create"/> (constant weights):
    /// only A is packed per call. m x k times k x n, row-major; runs on the level B was packed for.
    /// </summary>
    public static void Multiply(
        bool transposeA,
        int m,
        float alpha,
        ReadOnlySpan<float> a,
        int lda,
        PackedMatrix b,
        float beta,
        Span<float> c,
        int ldc,
        int degreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(b);
        int n = b.N, k = b.K;
        if (m < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"m must not be negative (was {m}).");
        }

        CheckMatrix(nameof(a), a.Length, transposeA ? k : m, transposeA ? m : k, lda);
        CheckMatrix(nameof(c), c.Length, m, n, ldc);
        if (m == 0)
        {
            return;
        }

        ScaleRows(c, m, n, ldc, beta);
        if (alpha == 0f)
        {
            return;
        }

        var level = b.Level;
        var workers = SplitWorkers(level, m, n, k, Math.Max(1, degreeOfParallelism));
        var packedA = ArrayPool<float>.Shared.Rent((int)GemmPacking.PackedASize(level, m, k));
        var work = ArrayPool<float>.Shared.Rent(workers * GemmTile.WorkFloats);
        try
        {
            fixed (float* pa = a, pb = b.Panels, pc = c, packA = packedA, pw = work)
            {
                GemmPacking.PackA(level, transposeA, m, k, alpha, pa, lda, packA);
                var job = new GemmJob
                {
                    Level = level, M = m, N = n, K = k, PackedA = packA, B = pb, Offsets = null, ColumnStride = GemmDriver.PrepackedB,
                    C = pc, Ldc = ldc, Work = pw, Workers = workers,
                };
                if (workers == 1)
                {
                    job.Run(0);
                }
                else
                {
                    KernelWorkers.Run(job, workers);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packedA);
            ArrayPool<float>.Shared.Return(work);
        }
    }

    private static int SplitWorkers(SimdLevel level, int m, int n, int k, int degreeOfParallelism)
    {
        // Below a few million multiply-adds a second thread costs more than it saves.
        if (degreeOfParallelism == 1 || (long)m * n * k < 1 << 21)
        {
            return 1;
        }

        var tiles = Math.Max(
            (n + GemmTile.Columns(level) - 1) / GemmTile.Columns(level),
            (m + GemmTile.Rows(level) - 1) / GemmTile.Rows(level));
        return Math.Min(degreeOfParallelism, tiles);
    }

    private static void ScaleRows(Span<float> c, int m, int n, int ldc, float beta)
    {
        if (beta == 1f)
        {
            return;
        }

        for (var i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == 0f)
            {
                row.Clear(); // beta == 0 ignores C entirely, NaN included.
            }
            else
            {
                for (var j = 0; j < row.Length; j++)
                {
                    row[j] *= beta;
                }
            }
        }
    }

    private static void Validate(
        bool transposeA,
        bool transposeB,
        int m,
        int n,
        int k,
        ReadOnlySpan<float> a,
        int lda,
        ReadOnlySpan<float> b,
        int ldb,
        Span<float> c,
        int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"Matrix sizes must not be negative (m={m}, n={n}, k={k}).");
        }

        CheckMatrix(nameof(a), a.Length, transposeA ? k : m, transposeA ? m : k, lda);
        CheckMatrix(nameof(b), b.Length, transposeB ? n : k, transposeB ? k : n, ldb);
        CheckMatrix(nameof(c), c.Length, m, n, ldc);
    }

    private static void CheckMatrix(string name, int length, int rows, int columns, int ld)
    {
        if (rows == 0 || columns == 0)
        {
            return;
        }

        if (ld < columns)
        {
            throw new ArgumentOutOfRangeException(name, $"Leading dimension {ld} of {name} is smaller than its {columns} columns; pass at least {columns}.");
        }

        if ((long)(rows - 1) * ld + columns > length)
        {
            throw new ArgumentException($"{name} holds {length} floats but a {rows}x{columns} matrix with leading dimension {ld} needs {(long)(rows - 1) * ld + columns}.", name);
        }
    }

    /// <summary>One multiply's pinned operands, split by columns (or rows when columns are few) over workers.</summary>
    private sealed class GemmJob : IParallelWork
    {
        public SimdLevel Level;
        public int M, N, K, Ldc, Workers, ColumnStride;
        public float* PackedA, B, C, Work;
        public int* Offsets;

        public void Run(int worker)
        {
            int mr = GemmTile.Rows(Level), nr = GemmTile.Columns(Level);
            var columnTiles = (N + nr - 1) / nr;
            int mBegin = 0, mEnd = M, qBegin = 0, qEnd = N;
            if (columnTiles >= Workers)
            {
                qBegin = columnTiles * worker / Workers * nr;
                qEnd = columnTiles * (worker + 1) / Workers * nr;
            }
            else
            {
                var rowTiles = (M + mr - 1) / mr;
                mBegin = rowTiles * worker / Workers * mr;
                mEnd = rowTiles * (worker + 1) / Workers * mr;
            }

            GemmDriver.Run(Level, M, N, K, PackedA, null, B, Offsets, ColumnStride, C, Ldc, mBegin, mEnd, qBegin, qEnd, true, Work + (long)worker * GemmTile.WorkFloats);
        }
    }
}
