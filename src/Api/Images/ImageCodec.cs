using System.Runtime.InteropServices;
using ConvService.Api.Images.Png;
using ConvService.Api.Infrastructure;
using ConvService.Inference.Errors;
using ConvService.Inference.Filters;
using ConvService.Inference.Serving.Preprocessing;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConvService.Api.Images;

/// <summary>
/// Decodes uploads into float planes and encodes results. Only PNG, JPEG, WebP and GIF are registered: ImageSharp 2.x
/// gets no more security fixes and its BMP and TIFF decoders have known flaws, so those never reach a decoder.
/// The header is identified and the pixel and frame limits checked before any pixel buffer is allocated.
/// </summary>
public sealed class ImageCodec
{
    private readonly Configuration configuration;
    private readonly LimitsOptions limits;
    private readonly ImageOptions options;

    public ImageCodec(IOptions<LimitsOptions> limits, IOptions<ImageOptions> options)
    {
        this.limits = limits.Value;
        this.options = options.Value;
        configuration = new Configuration(
            new PngConfigurationModule(),
            new JpegConfigurationModule(),
            new GifConfigurationModule(),
            new WebpConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
            {
                AllocationLimitMegabytes = this.limits.DecoderAllocationLimitMegabytes,
            }),
        };

        // Only the first frame of an animation is filtered; the others need not be decoded. Metadata (text chunks,
        // EXIF, ICC) is never read: a compressed text chunk can inflate to gigabytes and nothing here uses it.
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First, IgnoreMetadata = true });
        configuration.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        configuration.ImageFormatsManager.SetDecoder(JpegFormat.Instance, new JpegDecoder { IgnoreMetadata = true });
        configuration.ImageFormatsManager.SetDecoder(WebpFormat.Instance, new WebpDecoder { IgnoreMetadata = true });
    }

    /// <summary>The media types accepted for upload, for error messages and OpenAPI.</summary>
    public static IReadOnlyList<string> AcceptedTypes { get; } = ["image/png", "image/jpeg", "image/webp", "image/gif"];

    /// <summary>Decodes the first frame to planes of 0..255 values: 1 channel when gray, else RGB, or RGBA when any pixel is translucent.</summary>
    public DecodedImage Decode(byte[] bytes, bool gray, int? maxSide = null) =>
        DecodeAsync(bytes, gray, maxSide, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// As <see cref="Decode"/>, stopping when <paramref name="cancellationToken"/> fires (the client left or the
    /// request's time budget ran out). Whatever the decoder throws on a malformed file is a bad image, decided
    /// here at the codec boundary: ImageSharp 2.x throws many exception types on hostile input, and none of them
    /// may become a 500.
    /// </summary>
    public Task<DecodedImage> DecodeAsync(byte[] bytes, bool gray, int? maxSide, CancellationToken cancellationToken) =>
        DecodeAsync(bytes, maxSide, (image, format) => new DecodedImage(ToPlanes(image, gray), format.Name, image.Width, image.Height), cancellationToken);

    /// <summary>
    /// As <see cref="DecodeAsync(byte[], bool, int?, CancellationToken)"/> in colour, into planes rented from the
    /// shared array pool: at photo sizes a fresh array per request is a large-object allocation whose new pages cost
    /// more to fault in than filling them. Dispose the result to hand the planes back.
    /// </summary>
    public Task<RentedPlanes> DecodeRentedAsync(ArraySegment<byte> bytes, CancellationToken cancellationToken)
    {
        // The common PNG (8-bit, not interlaced, no palette) is read here straight into planes, about half of
        // ImageSharp's time on a photo; any other file, or one the lean reader finds irregular, goes to ImageSharp.
        if (PngPlanes.TryDecode(bytes, CheckSize, cancellationToken) is { } planes)
        {
            return Task.FromResult(planes);
        }

        return DecodeAsync(Exact(bytes), maxSide: null, (image, format) => RentPlanes(image, format, IsTranslucent(image)), cancellationToken);
    }

    /// <summary>
    /// An upload as a model's endpoints take it. A gray or RGB PNG the lean reader takes goes straight into the
    /// model's resampler; one with alpha is read into planes by the lean reader; any other file is decoded by
    /// ImageSharp and, when every pixel is opaque, handed to the resampler row by row (no float planes), else made
    /// into planes. A model whose preprocessing needs planes always gets planes. The caller disposes the result.
    /// </summary>
    public async Task<ModelUpload> DecodeForModelAsync(ArraySegment<byte> bytes, ImagePreprocessor preprocessor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preprocessor);
        if (PngPlanes.TryDecodeForModel(bytes, CheckSize, preprocessor.BeginRows, cancellationToken) is { } lean)
        {
            return lean;
        }

        return await DecodeAsync(Exact(bytes), maxSide: null, (image, format) =>
        {
            var translucent = IsTranslucent(image);
            if (!translucent && preprocessor.BeginRows(image.Width, image.Height) is { } rows)
            {
                var kept = false;
                try
                {
                    image.ProcessPixelRows(pixels =>
                    {
                        for (var y = 0; y < pixels.Height; y++)
                        {
                            rows.TakeRow(y, MemoryMarshal.AsBytes(pixels.GetRowSpan(y)), 4);
                        }
                    });
                    kept = true;
                    return ModelUpload.Resampled(rows);
                }
                finally
                {
                    if (!kept)
                    {
                        rows.Dispose();
                    }
                }
            }

            return ModelUpload.AsPlanes(RentPlanes(image, format, translucent));
        }, cancellationToken);
    }

    /// <summary>The upload as an array of its own length, which ImageSharp's byte[] entry points need: copied only when it is part of a longer pooled array.</summary>
    private static byte[] Exact(ArraySegment<byte> bytes) =>
        bytes.Offset == 0 && bytes.Count == bytes.Array!.Length ? bytes.Array : bytes.ToArray();

    /// <summary>The decoded image as pooled planes: RGB, or RGBA when a pixel is translucent.</summary>
    private static RentedPlanes RentPlanes(Image<Rgba32> image, IImageFormat format, bool translucent)
    {
        var planes = new RentedPlanes(image.Width, image.Height, translucent ? 4 : 3, format.Name);
        WritePlanes(image, gray: false, planes.Channels, planes.Values);
        return planes;
    }

    /// <summary>The checks and the decode; <paramref name="use"/> reads the pixels before the decoder's buffer goes back to its pool.</summary>
    private async Task<T> DecodeAsync<T>(byte[] bytes, int? maxSide, Func<Image<Rgba32>, IImageFormat, T> use, CancellationToken cancellationToken)
    {
        if (bytes.Length == 0)
        {
            throw ConvServiceException.InvalidInput("Empty image", "The uploaded image file is empty. Attach a PNG, JPEG, WebP or GIF file as the form field 'image'.");
        }

        var format = Image.DetectFormat(configuration, bytes) ?? throw Unsupported(bytes);
        if (format is WebpFormat)
        {
            // Before Identify, so an inconsistent file costs nothing past this cheap walk over its chunks.
            CheckWebpFrames(bytes);
            CheckLosslessGroups(bytes);
            CheckLossyModes(bytes);
        }

        IImageInfo info;
        try
        {
            info = Image.Identify(configuration, bytes, out _)
                ?? throw Corrupt(format, "its header could not be read");
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw Corrupt(format, e.Message);
        }

        CheckSize(info.Width, info.Height);
        if (format is GifFormat)
        {
            GifPixelBound.Check(info.Width, info.Height, bytes.Length);
        }

        CheckFrames(format, bytes);

        Image<Rgba32>? image = null;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            image = await Image.LoadAsync<Rgba32>(configuration, stream, cancellationToken);
            if (maxSide is { } side && Math.Max(image.Width, image.Height) > side)
            {
                // Keeps the aspect ratio; 0 lets ImageSharp compute the other side.
                var decoded = image;
                image.Mutate(x => x.Resize(decoded.Width >= decoded.Height ? new Size(side, 0) : new Size(0, side)));
            }
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            image?.Dispose();

            // A decoder stopped mid-file may fail in its own way; the cause is the cancellation, not the file.
            throw new OperationCanceledException("Decoding was cancelled.", e, cancellationToken);
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            image?.Dispose();
            throw Corrupt(format, e.Message);
        }
        catch
        {
            image?.Dispose();
            throw;
        }

        using (image)
        {
            return use(image!, format);
        }
    }

    /// <summary>Everything but cancellation, exhausted memory and the service's own refusals is the file's fault.</summary>
    private static bool IsDecoderFailure(Exception e) =>
        e is not (OperationCanceledException or OutOfMemoryException or ConvServiceException);

    /// <summary>Encodes planes as PNG or JPEG; each value becomes clamp(round(value * scale + offset), 0, 255).</summary>
    public byte[] Encode(FloatImage image, ImageOutputFormat format, float scale = 1f, float offset = 0f, CancellationToken cancellationToken = default)
    {
        if (image.Channels is not (1 or 3 or 4))
        {
            throw new InvalidOperationException($"Cannot encode {image.Channels} channels.");
        }

        // PNG goes through PngWriter, about four times faster than ImageSharp's encoder on a 1920x1080 response.
        if (format != ImageOutputFormat.Jpeg)
        {
            var pixels = PixelBytes.Interleave(image, scale, offset, cancellationToken);
            return PngWriter.Write(pixels, image.Width, image.Height, image.Channels, ZLibLevel(options.PngCompressionLevel), cancellationToken: cancellationToken);
        }

        using var output = new MemoryStream();
        using var canvas = ToRgba(image, scale, offset);
        cancellationToken.ThrowIfCancellationRequested();

        // ImageSharp's JPEG encoder has no cancellation of its own; the stream it writes to checks the token on
        // each write, which it makes every few kilobytes of output.
        using var checkedOutput = new CancellableWriteStream(output, cancellationToken);
        canvas.Save(checkedOutput, new JpegEncoder { Quality = options.JpegQuality });
        return output.ToArray();
    }

    /// <summary>
    /// zlib-ng's level 1 codes with fixed Huffman trees only and wrote 20-50% larger files than zlib's level 1 on
    /// filtered sample photos, so the option's level n is PngWriter's n + 1 (9 stays 9): level 1 is PngWriter's
    /// fast choice (zlib-ng's level 2, its run-length strategy or PngWriter's greedy deflater, by a sample), 2 .. 9 zlib-ng's levels 3 .. 9.
    /// </summary>
    internal static int ZLibLevel(int pngCompressionLevel) => Math.Min(pngCompressionLevel + 1, 9);

    private void CheckSize(int width, int height)
    {
        var pixels = (long)width * height;
        if (width <= 0 || height <= 0)
        {
            throw ConvServiceException.DoesNotFit("Corrupt image", $"The image header claims a size of {width}x{height}, which is not a picture.");
        }

        if (Math.Max(width, height) > limits.MaxImageSide)
        {
            throw ConvServiceException.OverLimit(
                "Image side too long",
                $"The image is {width}x{height}; its longer side is over the {limits.MaxImageSide:N0}-pixel limit (ConvService:Limits:MaxImageSide). Crop or scale it and try again.");
        }

        if (pixels > limits.MaxImagePixels)
        {
            throw ConvServiceException.OverLimit(
                "Image too large",
                $"The image is {width}x{height} = {pixels:N0} pixels; the limit is {limits.MaxImagePixels:N0} pixels (ConvService:Limits:MaxImagePixels). Scale it down and try again.");
        }

        RequestMemory.CheckDecode(limits, width, height);
    }

    private void CheckFrames(IImageFormat format, byte[] bytes)
    {
        var frames = format switch
        {
            GifFormat => AnimationFrames.CountGif(bytes),
            WebpFormat => AnimationFrames.CountWebp(bytes),
            _ => 1,
        };
        if (frames > limits.MaxImageFrames)
        {
            throw ConvServiceException.OverLimit(
                "Too many frames",
                $"The animated {format.Name} has {frames} frames; the limit is {limits.MaxImageFrames}. Only the first frame is filtered: upload it alone.");
        }
    }

    /// <summary>
    /// Each bitstream is decoded at the size it declares, whatever the canvas says, so each must pass the limits;
    /// a still image whose bitstream disagrees with its canvas is corrupt (found by fuzzing: a 130-byte file with
    /// a 7x5 canvas and a 7426x2934 truncated frame kept the decoder busy for seconds).
    /// </summary>
    private void CheckWebpFrames(byte[] bytes)
    {
        var frames = WebpFrameSizes.Read(bytes);
        foreach (var (width, height) in frames)
        {
            CheckSize(width, height);
        }

        if (WebpFrameSizes.Canvas(bytes) is not { } canvas || WebpFrameSizes.IsAnimated(bytes))
        {
            return;
        }

        foreach (var frame in frames)
        {
            if (frame != canvas)
            {
                throw Corrupt(WebpFormat.Instance, $"its canvas is {canvas.Width}x{canvas.Height} but its bitstream is {frame.Width}x{frame.Height}");
            }
        }
    }

    /// <summary>
    /// ImageSharp 2.1 allocates every Huffman group's tables a lossless bitstream names before reading one, outside
    /// its allocation limit (found by fuzzing: 56 bytes made it allocate 878 MB), so the groups are counted first.
    /// </summary>
    private void CheckLosslessGroups(byte[] bytes)
    {
        foreach (var groups in WebpLosslessGroups.InFile(bytes))
        {
            if (!groups.FitInBitstream)
            {
                throw Corrupt(
                    WebpFormat.Instance,
                    $"its lossless bitstream names {groups.Count:N0} Huffman code groups, which take at least {groups.Count * (long)WebpLosslessGroups.MinBitsPerGroup:N0} bits, but only {groups.BitsLeft:N0} bits follow");
            }

            RequestMemory.CheckWebpHuffmanTables(limits, groups.Count, groups.TableBytes);
        }
    }

    /// <summary>
    /// A VP8 frame decodes at the size it declares even when its data ends early (the decoder reads zeros), so a
    /// first partition too short for the macroblocks' modes is refused before decoding (found by fuzzing: 168 bytes
    /// declaring 33.8 megapixels).
    /// </summary>
    private static void CheckLossyModes(byte[] bytes)
    {
        foreach (var frame in Vp8ModeBudget.Read(bytes))
        {
            if (!frame.Honest)
            {
                throw Corrupt(
                    WebpFormat.Instance,
                    $"its lossy bitstream declares {frame.Width}x{frame.Height} pixels, {frame.Macroblocks:N0} macroblocks whose modes take at least {frame.NeededBytes:N0} bytes, but its first partition holds {frame.PartitionBytes:N0}");
            }
        }
    }

    private static ConvServiceException Unsupported(byte[] bytes)
    {
        var refused = RefusedFormats.Identify(bytes);
        var detail = refused is null
            ? "The upload is not an image in a supported format."
            : $"{refused} images are not accepted: their decoders are not safe for untrusted input in this service.";
        return new ConvServiceException(
            ErrorKind.Unsupported,
            "Unsupported image format",
            $"{detail} Send PNG, JPEG, WebP or GIF.",
            new Dictionary<string, object?> { ["acceptedTypes"] = AcceptedTypes });
    }

    private static ConvServiceException Corrupt(IImageFormat format, string reason) =>
        ConvServiceException.DoesNotFit(
            "Corrupt image",
            $"The {format.Name} file could not be decoded ({reason}). It may be truncated or damaged: export it again and retry.");

    private static FloatImage ToPlanes(Image<Rgba32> image, bool gray)
    {
        var channels = gray ? 1 : IsTranslucent(image) ? 4 : 3;

        // Every value is written, so the array is not zeroed first (at photo sizes it is a large-object array).
        var planes = new FloatImage(image.Width, image.Height, channels, GC.AllocateUninitializedArray<float>(checked(image.Width * image.Height * channels)));
        WritePlanes(image, gray, channels, planes.Data);
        return planes;
    }

    /// <summary>Writes the pixels as planes of 0..255 into <paramref name="data"/>: luma when gray, else R, G, B and (4 channels) A.</summary>
    private static void WritePlanes(Image<Rgba32> image, bool gray, int channels, Memory<float> data)
    {
        int width = image.Width, height = image.Height;
        var plane = width * height;
        image.ProcessPixelRows(rows =>
        {
            var values = data.Span;
            for (var y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                var at = y * width;
                if (gray)
                {
                    // ITU-R BT.601 luma, as ImageSharp's L8 and OpenCV's RGB2GRAY use.
                    var luma = values.Slice(at, width);
                    for (var x = 0; x < luma.Length; x++)
                    {
                        var p = row[x];
                        luma[x] = 0.299f * p.R + 0.587f * p.G + 0.114f * p.B;
                    }

                    continue;
                }

                // One loop per case and spans per plane: no per-pixel branch or bounds check on the hot path.
                Span<float> r = values.Slice(at, width), g = values.Slice(plane + at, width), b = values.Slice((2 * plane) + at, width);
                for (var x = 0; x < r.Length; x++)
                {
                    var p = row[x];
                    r[x] = p.R;
                    g[x] = p.G;
                    b[x] = p.B;
                }

                if (channels == 4)
                {
                    var a = values.Slice((3 * plane) + at, width);
                    for (var x = 0; x < a.Length; x++)
                    {
                        a[x] = row[x].A;
                    }
                }
            }
        });
    }

    /// <summary>Whether any pixel is not fully opaque.</summary>
    private static bool IsTranslucent(Image<Rgba32> image)
    {
        var translucent = false;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height && !translucent; y++)
            {
                foreach (var p in rows.GetRowSpan(y))
                {
                    if (p.A != byte.MaxValue)
                    {
                        translucent = true;
                        break;
                    }
                }
            }
        });
        return translucent;
    }

    private static Image<Rgba32> ToRgba(FloatImage source, float scale, float offset)
    {
        int width = source.Width, height = source.Height, plane = source.PlaneSize;
        var data = source.Data;
        var (g, b, a) = source.Channels switch
        {
            1 => (0, 0, -1),
            3 => (plane, 2 * plane, -1),
            _ => (plane, 2 * plane, 3 * plane),
        };
        var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                var at = y * width;
                for (var x = 0; x < width; x++, at++)
                {
                    row[x] = new Rgba32(
                        ToByte(data[at] * scale + offset),
                        ToByte(data[g + at] * scale + offset),
                        ToByte(data[b + at] * scale + offset),
                        a < 0 ? byte.MaxValue : ToByte(data[a + at] * scale + offset));
                }
            }
        });
        return image;
    }

    private static byte ToByte(float value) => PixelBytes.ToByte(value);
}
