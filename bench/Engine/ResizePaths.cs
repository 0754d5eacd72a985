using ConvService.Inference.Operators.Resize;

namespace ConvService.Bench.Engine;

/// <summary>
/// Runs the resize row gather's width-generic loops once per accelerated width (the output-block walk for linear
/// and nearest, the input walk for whole-factor nearest), so the JIT compiles every instantiation: run under
/// DOTNET_JitDisasm='Path ReplicatePlane' to read their machine code (docs/kernels.md).
/// </summary>
internal static class ResizePaths
{
    public static void Run()
    {
        var row = Enumerable.Range(0, 64).Select(i => (float)Math.Sin(i)).ToArray();
        var output = new float[128];
        ResizeRowGather[] gathers =
        [
            new(ResizeAxis.Create(new ResizeAxisOptions(ResizeMode.Linear, CoordinateTransform.HalfPixel), 64, 128, 2f)),
            new(ResizeAxis.Create(new ResizeAxisOptions(ResizeMode.Nearest, CoordinateTransform.AlignCorners, NearestRounding.Floor), 64, 128, 2f)),
            new(ResizeAxis.Create(new ResizeAxisOptions(ResizeMode.Nearest, CoordinateTransform.Asymmetric, NearestRounding.Floor), 64, 128, 2f)),
        ];
        foreach (var level in new[] { SimdLevel.Vector128, SimdLevel.Vector256, SimdLevel.Vector512 }.Where(SimdCapabilities.IsAccelerated))
        {
            foreach (var gather in gathers)
            {
                gather.Run(row, output, level);
                Console.WriteLine($"{level} replication factor {gather.ReplicationFactor}: {output[77]}");
            }

            var plane = new float[64 * 64];
            row.CopyTo(plane, 0);
            var rows = Enumerable.Range(0, 128).Select(y => y / 2).ToArray();
            var planeOutput = new float[128 * 128];
            gathers[2].RunPlane(plane, rows, planeOutput, level);
            Console.WriteLine($"{level} plane: {planeOutput[128 + 77]}");
        }
    }
}
