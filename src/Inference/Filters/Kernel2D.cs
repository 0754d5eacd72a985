namespace ConvService.Inference.Filters;

/// <summary>
/// A filter kernel: <see cref="Rows"/> x <see cref="Cols"/> weights, row-major. When the kernel is the outer product
/// of a column and a row vector it carries both factors, so it can run as two 1-D passes.
/// </summary>
public sealed class Kernel2D
{
    public Kernel2D(int rows, int cols, float[] values, float[]? columnFactor = null, float[]? rowFactor = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        if (values.Length != rows * cols)
        {
            throw new ArgumentException($"Expected {rows * cols} values for a {rows}x{cols} kernel, got {values.Length}.", nameof(values));
        }

        if ((columnFactor is null) != (rowFactor is null)
            || (columnFactor is not null && (columnFactor.Length != rows || rowFactor!.Length != cols)))
        {
            throw new ArgumentException("Separable factors must both be given, with lengths rows and cols.");
        }

        Rows = rows;
        Cols = cols;
        Values = values;
        ColumnFactor = columnFactor;
        RowFactor = rowFactor;
    }

    public int Rows { get; }

    public int Cols { get; }

    public float[] Values { get; }

    /// <summary>The vertical factor (length <see cref="Rows"/>) when separable.</summary>
    public float[]? ColumnFactor { get; }

    /// <summary>The horizontal factor (length <see cref="Cols"/>) when separable.</summary>
    public float[]? RowFactor { get; }

    public bool IsSeparable => ColumnFactor is not null;

    public float this[int row, int col] => Values[row * Cols + col];

    /// <summary>Builds a separable kernel as the outer product column x row.</summary>
    public static Kernel2D Outer(float[] column, float[] row)
    {
        var values = new float[column.Length * row.Length];
        for (var r = 0; r < column.Length; r++)
        {
            for (var c = 0; c < row.Length; c++)
            {
                values[r * row.Length + c] = column[r] * row[c];
            }
        }

        return new Kernel2D(column.Length, row.Length, values, column, row);
    }

    /// <summary>The kernel rotated by 180 degrees: convolution is cross-correlation with this.</summary>
    public Kernel2D Flipped()
    {
        var values = new float[Values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Values[Values.Length - 1 - i];
        }

        return IsSeparable
            ? new Kernel2D(Rows, Cols, values, Reverse(ColumnFactor!), Reverse(RowFactor!))
            : new Kernel2D(Rows, Cols, values);
    }

    /// <summary>The rows as nested arrays, for JSON.</summary>
    public float[][] ToRows()
    {
        var rows = new float[Rows][];
        for (var r = 0; r < Rows; r++)
        {
            rows[r] = Values.AsSpan(r * Cols, Cols).ToArray();
        }

        return rows;
    }

    private static float[] Reverse(float[] source)
    {
        var copy = (float[])source.Clone();
        Array.Reverse(copy);
        return copy;
    }
}
