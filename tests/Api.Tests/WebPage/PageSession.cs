using Microsoft.Playwright;

namespace ConvService.Api.Tests.WebPage;

/// <summary>
/// Debian's chromium driven by Playwright's own driver (shipped in the Microsoft.Playwright package, so nothing is
/// downloaded), one browser per test. Requests that leave the loopback server are refused and recorded, as are
/// script errors, so a test can show the page needs nothing from outside and ran cleanly.
/// </summary>
public sealed class PageSession : IAsyncDisposable
{
    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private PageSession(IPlaywright playwright, IBrowser browser, IPage page)
    {
        this.playwright = playwright;
        this.browser = browser;
        Page = page;
    }

    public IPage Page { get; }

    public List<string> ScriptErrors { get; } = [];

    public List<string> ExternalRequests { get; } = [];

    /// <summary>Where screenshots go: TestResults/web beside the test assembly.</summary>
    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "TestResults", "web");

    public static async Task<PageSession> OpenAsync(WorkbenchServer server, int width = 1200, int height = 900)
    {
        var executable = Chromium.Path ?? throw new InvalidOperationException(
            "Chromium is not installed: run 'apt-get install -y chromium' (the CI script does) to run the web page tests.");

        // The driver must never try to fetch a browser of its own: there is no network for it here.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        // Generous waits for a shared machine; no test asserts how long anything took.
        page.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(60_000);
        var session = new PageSession(playwright, browser, page);
        page.PageError += (_, error) => session.ScriptErrors.Add(error);
        page.Console += (_, message) =>
        {
            // The page's own refusals (a 4xx shown to the user) are logged by the browser as failed loads; only script errors count.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                session.ScriptErrors.Add(message.Text);
            }
        };
        var origin = new Uri(server.Url);
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Scheme is "http" or "https" && (url.Host != origin.Host || url.Port != origin.Port))
            {
                session.ExternalRequests.Add(route.Request.Url);
                await route.AbortAsync();
                return;
            }

            await route.ContinueAsync();
        });
        await page.GotoAsync(server.Url);
        return session;
    }

    /// <summary>Saves one part of the page (the whole page when none is given) as TestResults/web/{name}.png.</summary>
    public async Task<string> ScreenshotAsync(string name, ILocator? part = null)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        if (part is null)
        {
            await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        }
        else
        {
            await part.ScreenshotAsync(new() { Path = path });
        }

        return path;
    }

    /// <summary>A section of the page by its heading's id, so labels that recur in other sections do not match.</summary>
    public ILocator Section(string id) => Page.Locator($"section#{id}");

    public void AssertRanCleanly()
    {
        Assert.True(ScriptErrors.Count == 0, "Script errors: " + string.Join(" | ", ScriptErrors));
        Assert.True(ExternalRequests.Count == 0, "Requests that left the service: " + string.Join(" | ", ExternalRequests));
    }

    public async ValueTask DisposeAsync()
    {
        await browser.CloseAsync();
        playwright.Dispose();
    }
}
