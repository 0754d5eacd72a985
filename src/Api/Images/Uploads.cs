using ConvService.Inference.Errors;

namespace ConvService.Api.Images;

/// <summary>Reads an uploaded file into memory, refusing a missing or empty one with a message saying how to send it.</summary>
public static class Uploads
{
    public static async Task<byte[]> ReadAsync(IFormFile? file, string field, CancellationToken cancellationToken)
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

        var bytes = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }
}
