namespace ConvService.Inference.Operators.LinearAlgebra;

/// <summary>
/// Det: the determinant of each n x n matrix in a batch, by LU decomposition with partial pivoting in double
/// precision (float rounding in the elimination would cost several digits on ill-conditioned matrices).
/// </summary>
internal static class Determinant
{
    /// <param name="matrices">count matrices of n x n, row-major, one after another.</param>
    /// <param name="output">count determinants.</param>
    /// <param name="work">At least n * n doubles.</param>
    public static void Run(ReadOnlySpan<float> matrices, Span<float> output, int n, Span<double> work)
    {
        var size = n * n;
        for (var m = 0; m < output.Length; m++)
        {
            var a = work[..size];
            for (var i = 0; i < size; i++)
            {
                a[i] = matrices[(m * size) + i];
            }

            output[m] = (float)OfLu(a, n);
        }
    }

    /// <summary>Eliminates <paramref name="a"/> in place; the determinant is the product of the pivots, negated per row swap.</summary>
    private static double OfLu(Span<double> a, int n)
    {
        var determinant = 1.0;
        for (var column = 0; column < n; column++)
        {
            var pivot = column;
            for (var row = column + 1; row < n; row++)
            {
                if (Math.Abs(a[(row * n) + column]) > Math.Abs(a[(pivot * n) + column]))
                {
                    pivot = row;
                }
            }

            var p = a[(pivot * n) + column];
            if (p == 0)
            {
                return 0;
            }

            if (pivot != column)
            {
                for (var j = 0; j < n; j++)
                {
                    (a[(pivot * n) + j], a[(column * n) + j]) = (a[(column * n) + j], a[(pivot * n) + j]);
                }

                determinant = -determinant;
            }

            determinant *= p;
            for (var row = column + 1; row < n; row++)
            {
                var factor = a[(row * n) + column] / p;
                for (var j = column + 1; j < n; j++)
                {
                    a[(row * n) + j] -= factor * a[(column * n) + j];
                }
            }
        }

        return determinant;
    }
}
