using ConvService.Inference.Kernels.Conv;

namespace ConvService.Bench.Kernels;

/// <summary>The single layers timed against ONNX Runtime: the ResNet-18 shapes plus a MobileNet depthwise layer.</summary>
public static class ConvLayerCatalog
{
    public static IReadOnlyDictionary<string, ConvGeometry> Layers { get; } = new Dictionary<string, ConvGeometry>
    {
        ["3x3 64-64 56x56"] = new(64, 56, 56, 64, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),
        ["3x3 128-128 28x28"] = new(128, 28, 28, 128, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),
        ["3x3 256-256 14x14"] = new(256, 14, 14, 256, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),
        ["1x1 256-64 56x56"] = new(256, 56, 56, 64, 1, 1),
        ["7x7s2 3-64 224x224"] = new(3, 224, 224, 64, 7, 7, 2, 2, 3, 3, 3, 3),
        ["dw3x3 32 112x112"] = new(32, 112, 112, 32, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 32),
        ["3x3 512-512 7x7"] = new(512, 7, 7, 512, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),
        ["3x3s2 64-128 56x56"] = new(64, 56, 56, 128, 3, 3, 2, 2, 1, 1, 1, 1),
        ["3x3s2 128-256 28x28"] = new(128, 28, 28, 256, 3, 3, 2, 2, 1, 1, 1, 1),
        ["3x3s2 256-512 14x14"] = new(256, 14, 14, 512, 3, 3, 2, 2, 1, 1, 1, 1),
    };

    public static string[] Names => [.. Layers.Keys];

    /// <summary>The convolutions of ResNet-18 at 224x224 (batch 1) with how often each shape occurs.</summary>
    public static IReadOnlyList<(string Name, ConvGeometry Geometry, int Count)> ResNet18 { get; } =
    [
        ("conv1 7x7s2 3-64", new(3, 224, 224, 64, 7, 7, 2, 2, 3, 3, 3, 3), 1),
        ("3x3 64-64 56", new(64, 56, 56, 64, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 4),
        ("3x3s2 64-128 56", new(64, 56, 56, 128, 3, 3, 2, 2, 1, 1, 1, 1), 1),
        ("1x1s2 64-128 56", new(64, 56, 56, 128, 1, 1, 2, 2), 1),
        ("3x3 128-128 28", new(128, 28, 28, 128, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 3),
        ("3x3s2 128-256 28", new(128, 28, 28, 256, 3, 3, 2, 2, 1, 1, 1, 1), 1),
        ("1x1s2 128-256 28", new(128, 28, 28, 256, 1, 1, 2, 2), 1),
        ("3x3 256-256 14", new(256, 14, 14, 256, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 3),
        ("3x3s2 256-512 14", new(256, 14, 14, 512, 3, 3, 2, 2, 1, 1, 1, 1), 1),
        ("1x1s2 256-512 14", new(256, 14, 14, 512, 1, 1, 2, 2), 1),
        ("3x3 512-512 7", new(512, 7, 7, 512, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 3),
    ];

    /// <summary>Floating-point operations of one image (2 per multiply-add).</summary>
    public static double Flops(string name) => 2.0 * Layers[name].MacsPerImage;
}
