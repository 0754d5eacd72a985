namespace ConvService.Inference.Visualization;

/// <summary>Where tiles sit in a grid image: tile i is at column i % Columns, row i / Columns.</summary>
public sealed record TileLayout(int Columns, int Rows, int TileWidth, int TileHeight, int Gap, int Width, int Height);
