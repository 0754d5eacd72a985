namespace ConvService.Inference.Kernels.Conv;

/// <summary>A worker's share of one GEMM: a rectangle of output rows (channels) by columns (positions).</summary>
internal readonly record struct ConvWorkSplit(int RowBegin, int RowEnd, int ColumnBegin, int ColumnEnd)
{
    /// <summary>
    /// Splits an m x n output over workers: by columns while there are plenty of column tiles (each worker then
    /// keeps its own input in cache), otherwise by row tiles (each worker then reads half the weights).
    /// </summary>
    public static ConvWorkSplit[] For(int workers, int m, int n, int tileRows, int tileColumns)
    {
        var split = new ConvWorkSplit[workers];
        var columnTiles = (n + tileColumns - 1) / tileColumns;
        var rowTiles = (m + tileRows - 1) / tileRows;
        var byColumns = columnTiles >= 4 * workers || rowTiles < workers;
        for (var w = 0; w < workers; w++)
        {
            split[w] = byColumns
                ? new ConvWorkSplit(0, m, columnTiles * w / workers * tileColumns, Math.Min(n, columnTiles * (w + 1) / workers * tileColumns))
                : new ConvWorkSplit(rowTiles * w / workers * tileRows, Math.Min(m, rowTiles * (w + 1) / workers * tileRows), 0, n);
        }

        return split;
    }
}
