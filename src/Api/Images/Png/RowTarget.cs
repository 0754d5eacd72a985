using ConvService.Inference.Serving.Preprocessing;

namespace ConvService.Api.Images.Png;

/// <summary>Where the reader puts each unfiltered row: planes of floats, or a model's resampler.</summary>
internal abstract class RowTarget
{
    /// <summary>Takes image row <paramref name="y"/>; true when a pixel in it is not fully opaque.</summary>
    public abstract bool Write(ReadOnlySpan<byte> row, int y);

    /// <summary>Spreads the rows over the planes (<see cref="PlaneRows"/>).</summary>
    public sealed class Planes(int colorType, Memory<float> values, int width, int height) : RowTarget
    {
        public override bool Write(ReadOnlySpan<byte> row, int y) => PlaneRows.Write(row, colorType, values.Span, width, height, y);
    }

    /// <summary>Hands gray or RGB rows (no alpha) to a model's resampler.</summary>
    public sealed class Resampled(RowResampler resampler, int bytesPerPixel) : RowTarget
    {
        public override bool Write(ReadOnlySpan<byte> row, int y)
        {
            resampler.TakeRow(y, row, bytesPerPixel);
            return false;
        }
    }
}
