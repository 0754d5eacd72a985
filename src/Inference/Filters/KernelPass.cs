namespace ConvService.Inference.Filters;

/// <summary>One linear kernel ready to run: as two 1-D factors when separable, else the full weight matrix.</summary>
internal sealed class KernelPass
{
    public KernelPass(Kernel2D kernel, FilterOp op)
    {
        var k = op == FilterOp.Convolve ? kernel.Flipped() : kernel;
        Rows = k.Rows;
        Cols = k.Cols;
        Weights = k.Values;

        // A single row or column gains nothing from splitting; it already is one 1-D pass.
        if (k.IsSeparable && k.Rows > 1 && k.Cols > 1)
        {
            ColumnFactor = k.ColumnFactor;
            RowFactor = k.RowFactor;
        }
    }

    public int Rows { get; }

    public int Cols { get; }

    public float[] Weights { get; }

    public float[]? ColumnFactor { get; }

    public float[]? RowFactor { get; }

    public bool Separable => ColumnFactor is not null;
}
