using ConvService.Inference.Filters;
using ConvService.Inference.Simd;

namespace ConvService.Bench.Filters;

/// <summary>
/// Runs each width-generic filter loop once per accelerated width, so the JIT compiles every instantiation:
/// run under DOTNET_JitDisasm=Path to read their machine code (docs/kernels.md).
/// </summary>
public static class FilterPaths
{
    public static void Run()
    {
        var rng = new Random(1);
        var image = new FloatImage(64, 64, 1);
        for (var i = 0; i < image.Data.Length; i++)
        {
            image.Data[i] = (float)rng.NextDouble();
        }

        var values = new float[25];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)rng.NextDouble();
        }

        FilterKernel[] kernels = [new FilterKernel.Linear(new Kernel2D(5, 5, values)), KernelCatalog.Create("sobel-magnitude", null, null, 31)];
        foreach (var level in new[] { SimdLevel.Vector256, SimdLevel.Vector512 }.Where(SimdCapabilities.IsAccelerated))
        {
            foreach (var kernel in kernels)
            {
                var output = ImageFilter.Apply(image, kernel, new FilterSettings(), level);
                Console.WriteLine($"{level} {kernel.Rows}x{kernel.Cols}: {output.Data[100]}");
            }
        }
    }
}
