namespace ConvService.Inference.Tests.TestSupport;

/// <summary>The ResNet-18 graphs the build copies from the NuGet package into models/resnet18.</summary>
internal static class PackagedModels
{
    public static string ResNet18 => Path.Combine(AppContext.BaseDirectory, "models", "resnet18", "ResNet18.onnx");

    public static string Preprocess => Path.Combine(AppContext.BaseDirectory, "models", "resnet18", "ResNetPreprocess.onnx");
}
