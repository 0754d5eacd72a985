extern alias Api;

using Api::ConvService.Api.Images;
using Api::ConvService.Api.Infrastructure;
using BenchmarkDotNet.Attributes;
using ConvService.Inference.Filters;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConvService.Bench.Images;

/// <summary>
/// A filter response end to end on one core: a 1920x1080 RGB PNG (samples/coffee.png scaled up) decoded, filtered
/// with sobel-x and encoded, as the service does it. Compare with opencv_image_response.py (imdecode + filter2D +
/// imencode on one thread), which reads the same PNG: GlobalSetup writes it to <see cref="InputPath"/>.
/// </summary>
[MemoryDiagnoser]
public class ImageResponseBenchmarks
{
    public const int Width = 1920;
    public const int Height = 1080;

    private ImageCodec codec = null!;
    private byte[] input = null!;
    private FilterKernel sobelX = null!;
    private FilterSettings oneCore = null!;
    private FloatImage filtered = null!;
    private byte[] filteredPixels = null!;

    public static string InputPath => Path.Combine(Path.GetTempPath(), "convservice-coffee-1920x1080.png");

    [GlobalSetup]
    public void Setup()
    {
        codec = new ImageCodec(Options.Create(new LimitsOptions()), Options.Create(new ImageOptions()));
        input = CreateInput();
        File.WriteAllBytes(InputPath, input);
        sobelX = KernelCatalog.Create("sobel-x", null, null, 31);
        oneCore = new FilterSettings(DegreeOfParallelism: 1);
        filtered = ImageFilter.Apply(codec.Decode(input, gray: false).Planes, sobelX, oneCore, BenchLevel.Current);
        filteredPixels = PixelBytes.Interleave(filtered, 1f, 0f);
    }

    /// <summary>The service's PNG answer: decode, filter, PngWriter at the default level.</summary>
    [Benchmark(Baseline = true)]
    public byte[] PngInPngOut() => codec.Encode(ImageFilter.Apply(codec.Decode(input, gray: false).Planes, sobelX, oneCore, BenchLevel.Current), ImageOutputFormat.Png);

    [Benchmark]
    public byte[] PngInJpegOut() => codec.Encode(ImageFilter.Apply(codec.Decode(input, gray: false).Planes, sobelX, oneCore, BenchLevel.Current), ImageOutputFormat.Jpeg);

    [Benchmark]
    public object Decode() => codec.Decode(input, gray: false);

    [Benchmark]
    public FloatImage Filter() => ImageFilter.Apply(filtered, sobelX, oneCore, BenchLevel.Current);

    [Benchmark]
    public byte[] EncodePng() => codec.Encode(filtered, ImageOutputFormat.Png);

    [Benchmark]
    public byte[] EncodeJpeg() => codec.Encode(filtered, ImageOutputFormat.Jpeg);

    /// <summary>What PNG encoding cost before PngWriter: ImageSharp's encoder at its fastest level, same pixels.</summary>
    [Benchmark]
    public long EncodePngImageSharp()
    {
        using var image = Image.LoadPixelData<Rgb24>(filteredPixels, filtered.Width, filtered.Height);
        using var output = new MemoryStream();
        image.Save(output, new PngEncoder { CompressionLevel = PngCompressionLevel.BestSpeed, ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 });
        return output.Length;
    }

    /// <summary>samples/coffee.png (600x400) scaled to 1920x1080 with ImageSharp's bicubic resampler, saved as PNG.</summary>
    public static byte[] CreateInput()
    {
        using var image = Image.Load<Rgb24>(Path.Combine(AppContext.BaseDirectory, "samples", "coffee.png"));
        image.Mutate(x => x.Resize(Width, Height, KnownResamplers.Bicubic));
        using var output = new MemoryStream();
        image.SaveAsPng(output);
        return output.ToArray();
    }
}
