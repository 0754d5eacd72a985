using System.Diagnostics;
using System.Runtime.InteropServices;
using ConvService.Inference.Engine;
using ConvService.Inference.Onnx;

namespace ConvService.Tools.Arm64Runner;

/// <summary>One ResNet-18 inference at batch 1 on one thread, its output written as raw little-endian floats.</summary>
internal static class ResNetRun
{
    private static string ModelPath => Path.Combine(AppContext.BaseDirectory, "models", "resnet18", "ResNet18.onnx");

    public static int Execute(string outputPath, SimdLevel? level)
    {
        CapabilityReport.Print();
        var options = new EngineOptions { Simd = level ?? SimdCapabilities.Best };
        Console.WriteLine($"running at {options.Simd}");
        var clock = Stopwatch.StartNew();
        using var session = OnnxModel.LoadFile(ModelPath, options).CreateSession(1);
        var input = FixedInput.Create(3 * 224 * 224);
        var output = new float[session.Outputs[0].ElementsPerImage];
        var loaded = clock.Elapsed;
        session.Run(input, output);
        Console.WriteLine($"load {loaded.TotalSeconds:F1} s, first inference {(clock.Elapsed - loaded).TotalSeconds:F1} s");
        File.WriteAllBytes(outputPath, MemoryMarshal.AsBytes(output.AsSpan()).ToArray());
        Console.WriteLine($"{output.Length} outputs written to {outputPath}; top 5: {string.Join(", ", OutputComparison.Top(output, 5))}");
        return 0;
    }
}
