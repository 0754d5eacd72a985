using System.Diagnostics;

namespace ConvService.Api.Tests.WebPage;

/// <summary>Drives the system's headless Chromium (Debian package 'chromium'), with no network beyond loopback.</summary>
public static class Chromium
{
    public static string? Path =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    /// <summary>Loads the page, lets its scripts run for a while of virtual time, and returns the resulting DOM.</summary>
    public static async Task<string> DumpDomAsync(string url, string? screenshotPath = null)
    {
        var executable = Path ?? throw new InvalidOperationException(
            "Chromium is not installed: run 'apt-get install -y chromium' (the CI script does) to run the web page tests.");
        var profile = Directory.CreateTempSubdirectory("convservice-chromium-");
        try
        {
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                $"--user-data-dir={profile.FullName}", "--virtual-time-budget=10000", "--window-size=1200,1600",
            })
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add(screenshotPath is null ? "--dump-dom" : $"--screenshot={screenshotPath}");
            start.ArgumentList.Add(url);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync(timeout.Token);
            return await output;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
