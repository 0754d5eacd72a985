using ConvService.Inference.Errors;

namespace ConvService.Api.Images;

/// <summary>Reads an uploaded file into memory, refusing a missing or empty one with a message saying how to send it.</summary>
public static class Uploads
{
    public static async Task<byte[]> ReadAsync(IFormFile? file, string field, CancellationToken cancellationToken)
    {
        Check(file, field);
        var bytes = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    /// <summary>
    /// As <see cref="ReadAsync"/>, into an array rented from the shared pool: a fresh array for a photo is a
    /// large-object allocation whose new pages cost about a millisecond to fault in, more than the copy. Dispose the
    /// result to hand the array back.
    /// </summary>
    public static async Task<RentedUpload> ReadRentedAsync(IFormFile? file, string field, CancellationToken cancellationToken)
    {
        Check(file, field);
        var upload = new RentedUpload(checked((int)file.Length));
        try
        {
            await using var stream = file.OpenReadStream();
            await stream.ReadExactlyAsync(upload.Bytes, cancellationToken);
            return upload;
        }
        catch
        {
            upload.Dispose();
            throw;
        }
    }

    private static void Check([System.Diagnostics.CodeAnalysis.NotNull] IFormFile? file, string field)
    {
        if (file is null)
        {
            throw ConvServiceException.InvalidInput(
                "No image",
                $"Attach the image as the multipart form field '{field}', e.g. curl -F {field}=@photo.png.");
        }

        if (file.Length == 0)
        {
            throw ConvServiceException.InvalidInput("Empty image", $"The file in '{field}' is empty. Attach a PNG, JPEG, WebP or GIF file.");
        }
    }
}
