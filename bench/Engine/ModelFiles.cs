namespace ConvService.Bench.Engine;

/// <summary>Finds the model files the build copies next to every consumer of the engine.</summary>
internal static class ModelFiles
{
    public static string ResNet18 => Find(Path.Combine("models", "resnet18", "ResNet18.onnx"));

    private static string Find(string relative)
    {
        // BenchmarkDotNet runs from a generated project's folder; walk up until the copied file is found.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} was not found above {AppContext.BaseDirectory}; build the solution so it is copied from the NuGet package.");
    }
}
