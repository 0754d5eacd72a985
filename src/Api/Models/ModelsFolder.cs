namespace ConvService.Api.Models;

/// <summary>Where the model repository is when no path is configured.</summary>
public static class ModelsFolder
{
    /// <summary>The configured path; else <c>models</c> next to the app (the build copies the models there); else the repository's <c>models</c>.</summary>
    public static string Resolve(string? configured, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured, contentRoot);
        }

        var nextToApp = Path.Combine(AppContext.BaseDirectory, "models");
        if (Directory.Exists(nextToApp))
        {
            return nextToApp;
        }

        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConvService.sln")) && Directory.Exists(Path.Combine(dir.FullName, "models")))
            {
                return Path.Combine(dir.FullName, "models");
            }
        }

        return nextToApp;
    }
}
