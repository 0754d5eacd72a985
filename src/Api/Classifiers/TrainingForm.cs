using System.Globalization;
using System.IO.Compression;
using ConvService.Api.Infrastructure;
using ConvService.Inference.Classifiers;
using ConvService.Inference.Errors;

namespace ConvService.Api.Classifiers;

/// <summary>
/// Reads a training request: multipart <c>image</c> parts, each followed by its <c>label</c> (the n-th label names
/// the n-th image), or one <c>archive</c> (zip) with a folder per class; plus the training settings.
/// </summary>
public static class TrainingForm
{
    public const int MaxLabelLength = 64;

    public static async Task<IReadOnlyList<LabelledUpload>> ReadImagesAsync(IFormCollection form, ClassifiersOptions limits, CancellationToken cancellationToken)
    {
        var images = form.Files.GetFiles("image");
        var archive = form.Files.GetFile("archive");
        if (archive is not null && images.Count > 0)
        {
            throw ConvServiceException.InvalidInput("Images and archive", "Send either image parts each followed by a label, or one archive (zip) with a folder per class, not both.");
        }

        var uploads = archive is not null ? await FromArchiveAsync(archive, limits, cancellationToken) : await FromPartsAsync(images, form["label"], limits, cancellationToken);
        var classes = uploads.Select(u => u.Label).Distinct(StringComparer.Ordinal).Count();
        if (classes > limits.MaxClasses)
        {
            throw new ConvServiceException(
                ErrorKind.DoesNotFit,
                "Too many classes",
                $"The upload has {classes} classes; the limit is {limits.MaxClasses} ({ClassifiersOptions.Section}:MaxClasses). Merge classes or raise the limit.",
                new Dictionary<string, object?> { ["limit"] = "MaxClasses" });
        }

        if (classes < 2)
        {
            throw ConvServiceException.DoesNotFit(
                "Too few classes",
                $"A classifier needs at least 2 classes with at least 1 image each; the upload has {classes}. Add images with another label.");
        }

        return uploads;
    }

    public static ClassifierSettings ReadSettings(IFormCollection form) => new()
    {
        Features = Text(form, "features") ?? FeatureKinds.ResNet18,
        Method = Text(form, "method") ?? ClassifierMethods.Centroid,
        K = Number(form, "k", 3, 1, 50, "the neighbours that vote, for knn"),
        Side = Number(form, "size", 64, 32, 256, "the square filter-bank features are computed on"),
        TextonsPerClass = Number(form, "textons", 10, 1, 64, "k-means centres per class, for textons"),
        Seed = Number(form, "seed", 1, 0, int.MaxValue, "the seed of k-means and of logistic regression"),
        Iterations = Number(form, "iterations", 200, 1, 10_000, "gradient steps of logistic regression"),
    };

    private static async Task<List<LabelledUpload>> FromPartsAsync(IReadOnlyList<IFormFile> images, Microsoft.Extensions.Primitives.StringValues labels, ClassifiersOptions limits, CancellationToken cancellationToken)
    {
        if (images.Count == 0)
        {
            throw ConvServiceException.InvalidInput(
                "No images",
                "Send the training images as multipart parts named 'image', each followed by a 'label' part (curl -F image=@a.png -F label=brick -F image=@b.png -F label=grass), or one 'archive' zip with a folder per class.");
        }

        TooMany(images.Count, limits);
        if (labels.Count != images.Count)
        {
            throw ConvServiceException.InvalidInput(
                "Labels do not match images",
                $"The request has {images.Count} image parts and {labels.Count} label parts; send one 'label' after each 'image'.");
        }

        var uploads = new List<LabelledUpload>(images.Count);
        for (var i = 0; i < images.Count; i++)
        {
            var bytes = new byte[images[i].Length];
            await using (var stream = images[i].OpenReadStream())
            {
                await stream.ReadExactlyAsync(bytes, cancellationToken);
            }

            uploads.Add(new LabelledUpload(i, images[i].FileName, Label(labels[i], i), bytes));
        }

        return uploads;
    }

    private static async Task<List<LabelledUpload>> FromArchiveAsync(IFormFile archive, ClassifiersOptions limits, CancellationToken cancellationToken)
    {
        await using var stream = archive.OpenReadStream();
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(buffer, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw ConvServiceException.InvalidInput("Not a zip archive", $"The 'archive' part is not a readable zip file ({e.Message}). Send a zip with one folder per class, e.g. brick/1.png, grass/1.png.");
        }

        using (zip)
        {
            // Folders named like __MACOSX or .git and hidden files are packaging, not training images.
            var entries = zip.Entries
                .Where(e => e.Name.Length > 0 && !e.FullName.Split('/').Any(part => part.StartsWith('.') || part.StartsWith("__", StringComparison.Ordinal)))
                .ToArray();
            TooMany(entries.Length, limits);
            var uploads = new List<LabelledUpload>(entries.Length);
            long unpacked = 0;
            foreach (var entry in entries)
            {
                var parts = entry.FullName.Split('/', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 2)
                {
                    throw ConvServiceException.InvalidInput("Image outside a class folder", $"'{entry.FullName}' is at the top of the archive; put every image in a folder named after its class (brick/{entry.Name}).");
                }

                // The declared size can lie; the read below stops at the limit whatever it says.
                unpacked += entry.Length;
                if (unpacked > limits.MaxRequestBytes)
                {
                    throw ArchiveTooLarge(limits);
                }

                await using var content = entry.Open();
                var bytes = new MemoryStream();
                var chunk = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
                {
                    bytes.Write(chunk, 0, read);
                    if (bytes.Length > entry.Length || unpacked - entry.Length + bytes.Length > limits.MaxRequestBytes)
                    {
                        throw ArchiveTooLarge(limits);
                    }
                }

                uploads.Add(new LabelledUpload(uploads.Count, entry.FullName, Label(parts[^2], uploads.Count), bytes.ToArray()));
            }

            if (uploads.Count == 0)
            {
                throw ConvServiceException.DoesNotFit("Empty archive", "The archive holds no images; put at least 1 image in each class folder.");
            }

            return uploads;
        }
    }

    private static ConvServiceException ArchiveTooLarge(ClassifiersOptions limits) => new(
        ErrorKind.OverLimit,
        "Archive too large",
        $"The archive unpacks to more than {limits.MaxRequestBytes:N0} bytes ({ClassifiersOptions.Section}:MaxRequestBytes). Send fewer or smaller images.",
        new Dictionary<string, object?> { ["limit"] = "MaxRequestBytes" });

    private static void TooMany(int count, ClassifiersOptions limits)
    {
        if (count > limits.MaxImages)
        {
            throw new ConvServiceException(
                ErrorKind.OverLimit,
                "Too many images",
                $"The request has {count} images; the limit is {limits.MaxImages} ({ClassifiersOptions.Section}:MaxImages). Send fewer images or raise the limit.",
                new Dictionary<string, object?> { ["limit"] = "MaxImages" });
        }
    }

    private static string Label(string? text, int index)
    {
        var label = text?.Trim() ?? string.Empty;
        if (label.Length == 0 || label.Length > MaxLabelLength || label.Any(char.IsControl))
        {
            throw ConvServiceException.InvalidInput("Invalid label", $"The label of image {index} is '{text}'; give 1 to {MaxLabelLength} printable characters.");
        }

        return label;
    }

    private static string? Text(IFormCollection form, string field)
    {
        var value = form[field].ToString().Trim();
        return value.Length == 0 ? null : value.ToLowerInvariant();
    }

    private static int Number(IFormCollection form, string field, int fallback, int min, int max, string meaning)
    {
        var text = form[field].ToString().Trim();
        if (text.Length == 0)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw ConvServiceException.InvalidInput($"Invalid {field}", $"'{field}' is '{text}'; give a whole number from {min} to {max} ({meaning}).");
        }

        return value;
    }
}
