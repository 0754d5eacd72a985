namespace ConvService.Api.Infrastructure;

/// <summary>Where the service finds its web page and settings, whatever the working directory.</summary>
public static class AppContentRoot
{
    /// <summary>
    /// The app's own folder when it holds the published <c>wwwroot</c> and the working directory does not (the
    /// published binary started from elsewhere); otherwise null, the default: the working directory, which
    /// <c>dotnet run</c> sets to the project folder.
    /// </summary>
    public static string? Find(string workingDirectory, string appDirectory)
    {
        var here = Path.GetFullPath(workingDirectory).TrimEnd(Path.DirectorySeparatorChar);
        var app = Path.GetFullPath(appDirectory).TrimEnd(Path.DirectorySeparatorChar);
        if (here == app || Directory.Exists(Path.Combine(here, "wwwroot")))
        {
            return null;
        }

        return Directory.Exists(Path.Combine(app, "wwwroot")) ? app : null;
    }
}
