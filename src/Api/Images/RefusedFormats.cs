namespace ConvService.Api.Images;

/// <summary>Recognises formats we refuse by their magic bytes, so the error can name them.</summary>
public static class RefusedFormats
{
    public static string? Identify(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [(byte)'B', (byte)'M', ..] => "BMP",
        [(byte)'I', (byte)'I', 42, 0, ..] or [(byte)'M', (byte)'M', 0, 42, ..] => "TIFF",
        [(byte)'I', (byte)'I', 43, 0, ..] or [(byte)'M', (byte)'M', 0, 43, ..] => "BigTIFF",
        [0, 0, 1, 0, ..] => "ICO",
        [(byte)'P', >= (byte)'1' and <= (byte)'7', ..] => "PBM/PGM/PPM",
        [(byte)'q', (byte)'o', (byte)'i', (byte)'f', ..] => "QOI",
        [0x38, 0x42, 0x50, 0x53, ..] => "PSD",
        _ => null,
    };
}
