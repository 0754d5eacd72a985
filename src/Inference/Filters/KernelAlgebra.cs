namespace ConvService.Inference.Filters;

/// <summary>Kernel arithmetic that follows from convolution being associative.</summary>
public static class KernelAlgebra
{
    /// <summary>
    /// The full 2-D convolution a * b, (Ra + Rb - 1) x (Ca + Cb - 1): convolving with a and then b (zero border,
    /// full output) equals convolving once with the result; so does correlating with a then b.
    /// </summary>
    public static Kernel2D Compose(Kernel2D a, Kernel2D b)
    {
        var rows = a.Rows + b.Rows - 1;
        var cols = a.Cols + b.Cols - 1;
        var sums = new double[rows * cols];
        for (var ar = 0; ar < a.Rows; ar++)
        {
            for (var ac = 0; ac < a.Cols; ac++)
            {
                double w = a[ar, ac];
                for (var br = 0; br < b.Rows; br++)
                {
                    for (var bc = 0; bc < b.Cols; bc++)
                    {
                        sums[(ar + br) * cols + ac + bc] += w * b[br, bc];
                    }
                }
            }
        }

        var values = Array.ConvertAll(sums, v => (float)v);
        return a.IsSeparable && b.IsSeparable
            ? new Kernel2D(rows, cols, values, Convolve1D(a.ColumnFactor!, b.ColumnFactor!), Convolve1D(a.RowFactor!, b.RowFactor!))
            : KernelMatrix.WithFactors(rows, cols, values);
    }

    private static float[] Convolve1D(float[] a, float[] b)
    {
        var sums = new double[a.Length + b.Length - 1];
        for (var i = 0; i < a.Length; i++)
        {
            for (var j = 0; j < b.Length; j++)
            {
                sums[i + j] += (double)a[i] * b[j];
            }
        }

        return Array.ConvertAll(sums, v => (float)v);
    }
}
