using ConvService.Inference.Filters;

namespace ConvService.Inference.Visualization;

/// <summary>
/// Lays many single-channel maps (filter responses, kernels, activation maps) out as one gray image, each tile
/// stretched to 0..255 on its own so weak and strong maps are equally visible.
/// </summary>
public static class TileGrid
{
    /// <summary>Gap between tiles in pixels; drawn at mid-gray so it separates both dark and bright tiles.</summary>
    public const int Gap = 2;

    private const float GapValue = 128f;

    public static TileLayout Layout(int count, int tileWidth, int tileHeight, int? columns = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var cols = Math.Clamp(columns ?? (int)Math.Ceiling(Math.Sqrt(count)), 1, count);
        var rows = (count + cols - 1) / cols;
        return new TileLayout(cols, rows, tileWidth, tileHeight, Gap,
            cols * tileWidth + (cols - 1) * Gap,
            rows * tileHeight + (rows - 1) * Gap);
    }

    /// <summary>Renders the maps (all the same size, <paramref name="tileWidth"/> x <paramref name="tileHeight"/>) row by row.</summary>
    public static FloatImage Render(IReadOnlyList<ReadOnlyMemory<float>> maps, int tileWidth, int tileHeight, int? columns = null)
    {
        var layout = Layout(maps.Count, tileWidth, tileHeight, columns);
        var canvas = new FloatImage(layout.Width, layout.Height, 1);
        canvas.Data.AsSpan().Fill(GapValue);
        for (var i = 0; i < maps.Count; i++)
        {
            var map = maps[i].Span;
            if (map.Length != tileWidth * tileHeight)
            {
                throw new ArgumentException($"Map {i} has {map.Length} values, expected {tileWidth}x{tileHeight}.", nameof(maps));
            }

            var (min, max) = Range(map);
            var scale = max > min ? 255f / (max - min) : 0f;
            var left = i % layout.Columns * (tileWidth + Gap);
            var top = i / layout.Columns * (tileHeight + Gap);
            for (var y = 0; y < tileHeight; y++)
            {
                var row = canvas.Data.AsSpan((top + y) * layout.Width + left, tileWidth);
                var source = map.Slice(y * tileWidth, tileWidth);
                for (var x = 0; x < tileWidth; x++)
                {
                    // A constant map shows as black rather than dividing by zero.
                    row[x] = float.IsFinite(source[x]) ? (source[x] - min) * scale : 0f;
                }
            }
        }

        return canvas;
    }

    private static (float Min, float Max) Range(ReadOnlySpan<float> values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in values)
        {
            if (float.IsFinite(v))
            {
                min = MathF.Min(min, v);
                max = MathF.Max(max, v);
            }
        }

        return float.IsFinite(min) ? (min, max) : (0f, 0f);
    }
}
