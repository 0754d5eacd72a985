using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ConvService.Inference.Filters;

namespace ConvService.Bench.Filters;

/// <summary>
/// The filter engine on a 3840x2160 RGB float image, single core and all cores. The MP/s column is image
/// megapixels per second; compare with opencv_filter2d.py (cv2.filter2D, one thread).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class FilterBenchmarks
{
    private const int Width = 3840;
    private const int Height = 2160;

    private FloatImage image = null!;
    private FloatImage output = null!;
    private FilterSettings settings = null!;
    private FilterKernel box3 = null!;
    private FilterKernel gaussian5 = null!;
    private FilterKernel general3 = null!;
    private FilterKernel general5 = null!;
    private FilterKernel sobelMagnitude = null!;

    /// <summary>1 = one core (comparable with OpenCV on one thread); 0 = every core.</summary>
    [Params(1, 0)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        image = new FloatImage(Width, Height, 3);
        for (var i = 0; i < image.Data.Length; i++)
        {
            image.Data[i] = rng.NextSingle() * 255f;
        }

        output = new FloatImage(Width, Height, 3);
        settings = new FilterSettings(DegreeOfParallelism: Threads);
        box3 = KernelCatalog.Create("box", 3, null, 31);
        gaussian5 = KernelCatalog.Create("gaussian", 5, 1.0, 31);
        general3 = new FilterKernel.Linear(RandomGeneralKernel(rng, 3));
        general5 = new FilterKernel.Linear(RandomGeneralKernel(rng, 5));
        sobelMagnitude = KernelCatalog.Create("sobel-magnitude", null, null, 31);
    }

    [Benchmark(Baseline = true)]
    public void Box3x3() => ImageFilter.Apply(image, box3, settings, output, BenchLevel.Current);

    [Benchmark]
    public void Gaussian5x5() => ImageFilter.Apply(image, gaussian5, settings, output, BenchLevel.Current);

    [Benchmark]
    public void General3x3() => ImageFilter.Apply(image, general3, settings, output, BenchLevel.Current);

    [Benchmark]
    public void General5x5() => ImageFilter.Apply(image, general5, settings, output, BenchLevel.Current);

    [Benchmark]
    public void SobelMagnitude() => ImageFilter.Apply(image, sobelMagnitude, settings, output, BenchLevel.Current);

    private static Kernel2D RandomGeneralKernel(Random rng, int size)
    {
        var values = new float[size * size];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = rng.NextSingle() * 2 - 1;
        }

        // No separable factors: this measures the direct 2-D loop.
        return new Kernel2D(size, size, values);
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new MegapixelsPerSecondColumn(Width * (double)Height / 1e6));
    }
}
