using System.Runtime.CompilerServices;
namespace ConvService.Inference.Kernels.Gemm;

/// <summary>The 4x4 scalar micro-kernel: same contract as <see cref="GemmMicroKernels"/>, for CPUs without SIMD.</summary>
internal static unsafe class GemmScalarKernel
{
    public const int Rows = 4;
    public const int Columns = 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel(int kc, float* a, float* b, int* bOffsets, float* c, int ldc, float* bias, bool accumulate)
    {
        var acc = stackalloc float[Rows * Columns];
        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Columns; j++)
            {
                acc[i * Columns + j] = accumulate ? c[i * ldc + j] : bias != null ? bias[i] : 0f;
            }
        }

        for (var p = 0; p < kc; p++)
        {
            var bp = b + bOffsets[p];
            for (var i = 0; i < Rows; i++)
            {
                var av = a[i];
                for (var j = 0; j < Columns; j++)
                {
                    acc[i * Columns + j] = MathF.FusedMultiplyAdd(av, bp[j], acc[i * Columns + j]);
                }
            }

            a += Rows;
        }

        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Columns; j++)
            {
                c[i * ldc + j] = acc[i * Columns + j];
            }
        }
    }
}
