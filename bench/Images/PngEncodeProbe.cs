extern alias Api;

using System.IO.Compression;
using Api::ConvService.Api.Images;
using Api::ConvService.Api.Infrastructure;
using ConvService.Inference.Filters;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConvService.Bench.Images;

/// <summary>
/// PngWriter's default level against the writer it replaced (the same adaptive row filters, every row streamed into
/// zlib-ng's level 2), interleaved in one process on 1920x1080 sobel-x responses: samples/coffee.png and
/// samples/grass.png scaled up bicubic. Each round runs both, alternating which goes first; it prints the sizes,
/// each side's median thread CPU time and the median of the per-round ratios (current / previous).
/// Usage: --png-probe [rounds]. <see cref="RunAgainstOpenCv"/> alternates the whole PNG in, PNG out request with
/// OpenCV's (--png-e2e).
/// </summary>
public static class PngEncodeProbe
{
    private static readonly PngFilter[] Filters = [PngFilter.None, PngFilter.Sub, PngFilter.Up, PngFilter.Average, PngFilter.Paeth];

    public static void Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0]) : 21;
        var codec = new ImageCodec(Options.Create(new LimitsOptions()), Options.Create(new ImageOptions()));
        Console.WriteLine($"1920x1080 RGB sobel-x, level 1 (PngWriter's 2), {rounds} rounds, thread CPU time");
        Console.WriteLine("sample      current bytes  previous bytes   current ms  previous ms  current/previous");
        foreach (var sample in new[] { "coffee.png", "grass.png" })
        {
            var image = ImageFilter.Apply(codec.Decode(Scaled(sample), gray: false).Planes, KernelCatalog.Create("sobel-x", null, null, 31), new FilterSettings(DegreeOfParallelism: 1));
            var pixels = PixelBytes.Interleave(image, 1f, 0f);
            byte[] Current() => PngWriter.Write(pixels, image.Width, image.Height, image.Channels, 2);
            byte[] Previous() => PreviousWriter(pixels, image.Width * image.Channels, image.Height, image.Channels);

            var currentBytes = Current().Length;
            var previousBytes = Previous().Length;
            var currentMs = new List<double>();
            var previousMs = new List<double>();
            var ratios = new List<double>();
            for (var r = 0; r < rounds; r++)
            {
                var (first, second) = r % 2 == 0 ? (Current, Previous) : ((Func<byte[]>)Previous, (Func<byte[]>)Current);
                var t0 = CpuClock.ThreadSeconds();
                first();
                var t1 = CpuClock.ThreadSeconds();
                second();
                var t2 = CpuClock.ThreadSeconds();
                var (current, previous) = r % 2 == 0 ? (t1 - t0, t2 - t1) : (t2 - t1, t1 - t0);
                currentMs.Add(current * 1e3);
                previousMs.Add(previous * 1e3);
                ratios.Add(current / previous);
            }

            Console.WriteLine($"{sample,-11} {currentBytes,13:N0} {previousBytes,15:N0} {Median(currentMs),12:F1} {Median(previousMs),12:F1} {Median(ratios),17:F2}");
        }
    }

    /// <summary>
    /// PNG in, PNG out on one core (decode, sobel-x, encode, as <see cref="ImageResponseBenchmarks.PngInPngOut"/>)
    /// against bench/Images/opencv_image_response.py, alternating in rounds so both see the same spells of load:
    /// each round times <paramref name="runs"/> of ours, then runs the script with as many repeats. Prints each
    /// round's medians (wall time, as the script's) and the median of the per-round ratios.
    /// Usage: --png-e2e &lt;path of opencv_image_response.py&gt; [rounds] [runs]
    /// </summary>
    public static void RunAgainstOpenCv(string script, int rounds, int runs)
    {
        File.WriteAllBytes(ImageResponseBenchmarks.InputPath, ImageResponseBenchmarks.CreateInput());
        var input = File.ReadAllBytes(ImageResponseBenchmarks.InputPath);
        var codec = new ImageCodec(Options.Create(new LimitsOptions()), Options.Create(new ImageOptions()));
        var sobelX = KernelCatalog.Create("sobel-x", null, null, 31);
        var oneCore = new FilterSettings(DegreeOfParallelism: 1);
        byte[] Request() => codec.Encode(ImageFilter.Apply(codec.Decode(input, gray: false).Planes, sobelX, oneCore, BenchLevel.Current), ImageOutputFormat.Png);
        for (var i = 0; i < 3; i++)
        {
            Request();
        }

        Console.WriteLine($"1920x1080 PNG in, sobel-x, PNG out (level 1), one core; {rounds} rounds of {runs} runs each side, wall ms");
        Console.WriteLine("round   ours median   OpenCV median   ours/OpenCV");
        var ratios = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var ours = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                Request();
                ours.Add(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            var openCv = OpenCvPngInPngOut(script, runs);
            ratios.Add(Median(ours) / openCv);
            Console.WriteLine($"{r + 1,5} {Median(ours),13:F1} {openCv,15:F1} {ratios[^1],13:F2}");
        }

        Console.WriteLine($"median of the rounds' ratios: {Median(ratios):F2}");
    }

    /// <summary>The script's median for "png in, png out (level 1)".</summary>
    private static double OpenCvPngInPngOut(string script, int repeats)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", [script, ImageResponseBenchmarks.InputPath, "--repeats", repeats.ToString()])
        {
            RedirectStandardOutput = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').First(l => l.StartsWith("png in, png out", StringComparison.Ordinal));
        return double.Parse(line["png in, png out (level 1)".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The previous writer's IDAT: each row's least-cost filter streamed into zlib-ng's level 2, then its CRC (the small chunks around it are left out).</summary>
    private static byte[] PreviousWriter(byte[] pixels, int stride, int height, int bpp)
    {
        using var output = new MemoryStream(stride * height / 2);
        var zeros = new byte[stride];
        var candidates = Filters.Select(_ => new byte[stride + 1]).ToArray();
        using (var zlib = new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = 2 }, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                var raw = pixels.AsSpan(y * stride, stride);
                var prior = y == 0 ? zeros : pixels.AsSpan((y - 1) * stride, stride);
                var best = 0;
                var bestCost = long.MaxValue;
                for (var f = 0; f < Filters.Length; f++)
                {
                    candidates[f][0] = (byte)Filters[f];
                    var cost = PngRowFilters.Apply(Filters[f], raw, prior, bpp, candidates[f].AsSpan(1));
                    if (cost < bestCost)
                    {
                        (best, bestCost) = (f, cost);
                    }
                }

                zlib.Write(candidates[best]);
            }
        }

        var idat = output.ToArray();
        GC.KeepAlive(PngCrc.Append(0, idat));
        return idat;
    }

    private static byte[] Scaled(string sample)
    {
        using var image = Image.Load<Rgb24>(Path.Combine(AppContext.BaseDirectory, "samples", sample));
        image.Mutate(x => x.Resize(ImageResponseBenchmarks.Width, ImageResponseBenchmarks.Height, KnownResamplers.Bicubic));
        using var output = new MemoryStream();
        image.SaveAsPng(output);
        return output.ToArray();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
