using ConvService.Inference.Serving.Preprocessing;

namespace ConvService.Api.Images;

/// <summary>
/// An upload decoded for a model: either already resampled into the model's tensor row by row (<see cref="Rows"/>,
/// finish it), or planes to preprocess (<see cref="Planes"/>). Disposing hands back whichever it holds.
/// </summary>
public sealed class ModelUpload : IDisposable
{
    private ModelUpload(RowResampler? rows, RentedPlanes? planes)
    {
        Rows = rows;
        Planes = planes;
    }

    public RowResampler? Rows { get; }

    public RentedPlanes? Planes { get; }

    public static ModelUpload Resampled(RowResampler rows) => new(rows, null);

    public static ModelUpload AsPlanes(RentedPlanes planes) => new(null, planes);

    /// <summary>The model's input: the resampled tensor finished, or the planes preprocessed.</summary>
    public PreparedImage Prepare(ImagePreprocessor preprocessor)
    {
        ArgumentNullException.ThrowIfNull(preprocessor);
        return Rows is { } rows ? rows.Finish() : preprocessor.PrepareImage(Planes!.Values.Span, Planes.Width, Planes.Height, Planes.Channels);
    }

    public void Dispose()
    {
        Rows?.Dispose();
        Planes?.Dispose();
    }
}
