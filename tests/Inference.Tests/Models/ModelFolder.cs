namespace ConvService.Inference.Tests.Models;

/// <summary>Finds the committed models/ folder by walking up from the test binaries to the repository root.</summary>
internal static class ModelFolder
{
    public static string Of(string modelName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", modelName);
            if (File.Exists(Path.Combine(dir.FullName, "ConvService.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No models/{modelName} folder above {AppContext.BaseDirectory}.");
    }
}
