using ConvService.Inference.Errors;

namespace ConvService.Inference.Filters;

/// <summary>Turns a caller's matrix into a <see cref="Kernel2D"/>, finding separable factors when it has rank 1.</summary>
public static class KernelMatrix
{
    /// <summary>Largest residual, relative to the largest weight, still treated as an exact outer product.</summary>
    private const double RankOneTolerance = 1e-6;

    public static Kernel2D Parse(double[][]? rows, int maxSize)
    {
        if (rows is null || rows.Length == 0)
        {
            throw ConvServiceException.InvalidInput("Invalid kernel", "The kernel has no rows: send a non-empty matrix, e.g. [[0,1,0],[1,-4,1],[0,1,0]].");
        }

        var cols = rows[0]?.Length ?? 0;
        if (rows.Length > maxSize || cols > maxSize)
        {
            throw ConvServiceException.InvalidInput("Invalid kernel", $"The kernel is {rows.Length}x{cols}; each side may be at most {maxSize}. Send a smaller matrix.");
        }

        var values = new float[rows.Length * cols];
        for (var r = 0; r < rows.Length; r++)
        {
            var row = rows[r];
            if (row is null || row.Length == 0)
            {
                throw ConvServiceException.InvalidInput("Invalid kernel", $"Kernel row {r} (0-based) is empty: every row needs at least one value.");
            }

            if (row.Length != cols)
            {
                throw ConvServiceException.InvalidInput("Invalid kernel", $"Kernel row {r} (0-based) has {row.Length} values but row 0 has {cols}: the matrix must be rectangular.");
            }

            for (var c = 0; c < cols; c++)
            {
                var v = row[c];
                if (!double.IsFinite(v) || Math.Abs(v) > float.MaxValue)
                {
                    throw ConvServiceException.InvalidInput("Invalid kernel", $"Kernel value at row {r}, column {c} (0-based) is {v}: weights must be finite numbers within the float range. Replace it with a real number.");
                }

                values[r * cols + c] = (float)v;
            }
        }

        return WithFactors(rows.Length, cols, values);
    }

    /// <summary>The kernel, with separable factors attached when it is (within tolerance) an outer product.</summary>
    internal static Kernel2D WithFactors(int rows, int cols, float[] values) =>
        TryFactor(rows, cols, values, out var column, out var row)
            ? new Kernel2D(rows, cols, values, column, row)
            : new Kernel2D(rows, cols, values);

    internal static bool TryFactor(int rows, int cols, float[] values, out float[] column, out float[] row)
    {
        // Pivot on the largest weight: its column and (scaled) row are the factors if any exist.
        var pivot = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (Math.Abs(values[i]) > Math.Abs(values[pivot]))
            {
                pivot = i;
            }
        }

        column = new float[rows];
        row = new float[cols];
        var largest = Math.Abs((double)values[pivot]);
        if (largest == 0)
        {
            return true;
        }

        var pr = pivot / cols;
        var pc = pivot % cols;
        var col = new double[rows];
        var line = new double[cols];
        for (var r = 0; r < rows; r++)
        {
            col[r] = values[r * cols + pc];
        }

        for (var c = 0; c < cols; c++)
        {
            line[c] = values[pr * cols + c] / (double)values[pivot];
        }

        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                if (Math.Abs(values[r * cols + c] - col[r] * line[c]) > RankOneTolerance * largest)
                {
                    return false;
                }
            }
        }

        for (var r = 0; r < rows; r++)
        {
            column[r] = (float)col[r];
        }

        for (var c = 0; c < cols; c++)
        {
            row[c] = (float)line[c];
        }

        return true;
    }
}
