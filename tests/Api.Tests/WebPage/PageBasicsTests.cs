using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ConvService.Api.Tests.WebPage;

/// <summary>What every section relies on: nothing from outside, a narrow screen, the keyboard, labels and a favicon.</summary>
public sealed class PageBasicsTests
{
    [Fact]
    public async Task AtFourHundredTwentyPixelsThePageFitsAndWorksByKeyboard()
    {
        await using var server = WorkbenchServer.Start();
        await using var session = await PageSession.OpenAsync(server, width: 420, height: 900);
        var page = session.Page;
        await Expect(session.Section("predict").GetByLabel("Model")).ToHaveValueAsync("lenet5-mnist");
        await Expect(session.Section("matrix-filter").Locator("#matrix-out-grid td")).ToHaveCountAsync(64);

        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 420, "The page scrolls sideways at 420 px.");

        // Every control has a label or an accessible name.
        var unlabelled = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('input, select, textarea')].filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.id || e.name)");
        Assert.Empty(unlabelled);

        // The first Tab reaches the skip link, the next ones the section links; focus is drawn.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Filter an image", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        Assert.Equal("solid", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));

        // Enter on the section link, then Tab, lands in that section's first field.
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("image", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        using var http = new HttpClient();
        var favicon = await http.GetAsync(server.Url + "favicon.ico");
        Assert.Equal(System.Net.HttpStatusCode.OK, favicon.StatusCode);
        Assert.Equal("image/x-icon", favicon.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, (await favicon.Content.ReadAsByteArrayAsync())[..4]);

        await session.ScreenshotAsync("narrow-420");
        session.AssertRanCleanly();
    }
}
