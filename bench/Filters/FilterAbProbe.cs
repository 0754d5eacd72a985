using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

namespace ConvService.Bench.Filters;

/// <summary>
/// The filter engine of this build against another build's, interleaved in one process: the other build's
/// ConvService.Inference.dll is loaded into its own load context and both are driven through reflection, so a
/// slow spell on a shared machine hits both sides alike. Each round runs every filter once per side, alternating
/// which side goes first; per filter it prints the median time of each side and the median of the per-round
/// ratios (this build / other). Times are the calling thread's CPU time at one thread, wall time at more.
/// Usage: --filter-ab &lt;other build's bin dir&gt; [rounds] [threads] [bin dir standing for this build], the last to
/// compare two other builds.
/// </summary>
public static class FilterAbProbe
{
    private const int Width = 3840;
    private const int Height = 2160;

    public static void Run(string otherDirectory, int rounds, int threads, string? ourDirectory = null)
    {
        var ours = typeof(ConvService.Inference.Filters.ImageFilter).Assembly;
        var theirs = new DirectoryContext(Path.GetFullPath(otherDirectory)).LoadFromAssemblyName(ours.GetName());
        if (ourDirectory != null)
        {
            ours = new DirectoryContext(Path.GetFullPath(ourDirectory)).LoadFromAssemblyName(ours.GetName());
        }
        var rng = new Random(42);
        var pixels = new float[Width * Height * 3];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = rng.NextSingle() * 255f;
        }

        var general3 = RandomKernel(rng, 3);
        var general5 = RandomKernel(rng, 5);
        (string Name, Func<Assembly, object> Kernel)[] filters =
        [
            ("Box3x3", a => Catalog(a, "box", 3, null)),
            ("Gaussian5x5", a => Catalog(a, "gaussian", 5, 1.0)),
            ("General3x3", a => Linear(a, 3, general3)),
            ("General5x5", a => Linear(a, 5, general5)),
            ("SobelMagnitude", a => Catalog(a, "sobel-magnitude", null, null)),
        ];

        Console.WriteLine($"{Width}x{Height} RGB, {threads} thread(s), {rounds} rounds");
        Console.WriteLine($"ours:  {ours.Location} ({ours.ManifestModule.ModuleVersionId})");
        Console.WriteLine($"other: {theirs.Location} ({theirs.ManifestModule.ModuleVersionId})");
        Console.WriteLine("filter          ours ms   other ms   ours/other (median of rounds)");
        foreach (var (name, kernel) in filters)
        {
            var a = Prepare(ours, pixels, kernel(ours), threads);
            var b = Prepare(theirs, pixels, kernel(theirs), threads);
            Time(a, threads);
            Time(b, threads);
            var oursMs = new List<double>();
            var otherMs = new List<double>();
            var ratios = new List<double>();
            for (var r = 0; r < rounds; r++)
            {
                double x, y;
                if (r % 2 == 0)
                {
                    x = Time(a, threads);
                    y = Time(b, threads);
                }
                else
                {
                    y = Time(b, threads);
                    x = Time(a, threads);
                }

                oursMs.Add(x);
                otherMs.Add(y);
                ratios.Add(x / y);
            }

            Console.WriteLine($"{name,-15} {Median(oursMs),8:F2} {Median(otherMs),10:F2}   {Median(ratios):F3}");
        }
    }

    private static double Time(Action run, int threads)
    {
        var wall = Stopwatch.StartNew();
        var cpu = CpuClock.ThreadSeconds();
        run();
        return threads == 1 ? (CpuClock.ThreadSeconds() - cpu) * 1e3 : wall.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static Action Prepare(Assembly assembly, float[] pixels, object kernel, int threads)
    {
        var imageType = Type(assembly, "FloatImage");
        var image = Activator.CreateInstance(imageType, Width, Height, 3, pixels.Clone())!;
        var output = Activator.CreateInstance(imageType, Width, Height, 3, null)!;
        var settingsType = Type(assembly, "FilterSettings");
        var constructor = settingsType.GetConstructors().Single(c => c.GetParameters().Any(p => p.Name == "DegreeOfParallelism"));
        var settings = constructor.Invoke(constructor.GetParameters().Select(p => p.Name == "DegreeOfParallelism" ? threads : p.DefaultValue).ToArray());
        var apply = Type(assembly, "ImageFilter").GetMethods().Single(m =>
            m.Name == "Apply" && m.ReturnType == typeof(void) && m.GetParameters().Length == 5);
        object?[] arguments = [image, kernel, settings, output, null];
        return () => apply.Invoke(null, arguments);
    }

    private static object Catalog(Assembly assembly, string name, int? size, double? sigma) =>
        Type(assembly, "KernelCatalog").GetMethod("Create")!.Invoke(null, [name, size, sigma, 31])!;

    private static object Linear(Assembly assembly, int size, float[] values)
    {
        var kernel = Activator.CreateInstance(Type(assembly, "Kernel2D"), size, size, values, null, null)!;
        return Activator.CreateInstance(Type(assembly, "FilterKernel+Linear"), kernel)!;
    }

    /// <summary>No separable factors: the direct 2-D loop, as in <see cref="FilterBenchmarks"/>.</summary>
    private static float[] RandomKernel(Random rng, int size) =>
        Enumerable.Range(0, size * size).Select(_ => (rng.NextSingle() * 2) - 1).ToArray();

    private static Type Type(Assembly assembly, string name) =>
        assembly.GetType("ConvService.Inference.Filters." + name, throwOnError: true)!;

    /// <summary>Resolves the other build's own assemblies from its directory; the framework comes from the default context.</summary>
    private sealed class DirectoryContext(string directory) : AssemblyLoadContext("other build")
    {
        protected override Assembly? Load(AssemblyName name)
        {
            var path = Path.Combine(directory, name.Name + ".dll");
            return name.Name!.StartsWith("ConvService.", StringComparison.Ordinal) && File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
