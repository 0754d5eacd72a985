using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ConvService.Api.Tests.WebPage;

/// <summary>The filtering sections used as a person would: choose a file, pick options, press the button, read the result.</summary>
public sealed class FilteringPageTests
{
    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", name);

    [Fact]
    public async Task UploadingChelseaAndFilteringShowsTheFilteredImage()
    {
        await using var server = WorkbenchServer.Start();
        await using var session = await PageSession.OpenAsync(server);
        var section = session.Section("filtering");

        await section.GetByLabel("Image", new() { Exact = true }).SetInputFilesAsync(Sample("chelsea.png"));
        await section.GetByLabel("Kernel").SelectOptionAsync("sobel-magnitude");
        await section.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();

        await Expect(section.Locator("#status")).ToContainTextAsync("Server timing");
        await session.Page.WaitForFunctionAsync("() => document.getElementById('result').naturalWidth > 0");
        // 'same' padding keeps the size: the filtered image is as large as chelsea.png.
        Assert.Equal(451, await session.Page.EvaluateAsync<int>("() => document.getElementById('result').naturalWidth"));
        Assert.Equal(300, await session.Page.EvaluateAsync<int>("() => document.getElementById('result').naturalHeight"));

        // The same filter as values: the number under the pointer is read out.
        await section.GetByLabel("Result as").SelectOptionAsync("json");
        await section.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        var values = section.Locator("#result-values");
        await Expect(values).ToBeVisibleAsync();
        await values.HoverAsync(new() { Position = new() { X = 5, Y = 5 } });
        await Expect(section.Locator("#value-readout")).ToContainTextAsync(new Regex(@"^x \d+, y \d+: -?\d+\.\d{3}, -?\d+\.\d{3}, -?\d+\.\d{3}$"));

        // By keyboard: the arrow keys walk the readout from the top-left value.
        await values.FocusAsync();
        await session.Page.Keyboard.PressAsync("ArrowRight");
        await session.Page.Keyboard.PressAsync("ArrowRight");
        await session.Page.Keyboard.PressAsync("ArrowDown");
        await Expect(section.Locator("#value-readout")).ToContainTextAsync("x 2, y 1:");
        await session.ScreenshotAsync("filtering", section);
        session.AssertRanCleanly();
    }

    [Fact]
    public async Task ChangingTheKernelShowsOnlyItsOwnFieldsAndFitFloorRescuesAStride()
    {
        await using var server = WorkbenchServer.Start();
        await using var session = await PageSession.OpenAsync(server);
        var section = session.Section("filtering");
        var kernel = section.GetByLabel("Kernel");
        var size = section.GetByLabel("Size", new() { Exact = true });
        var sigma = section.GetByLabel("Sigma", new() { Exact = true });
        var matrix = section.GetByLabel("Custom matrix (JSON rows)");

        await kernel.SelectOptionAsync("gaussian");
        await Expect(size).ToBeVisibleAsync();
        await Expect(sigma).ToBeVisibleAsync();
        await Expect(matrix).ToBeHiddenAsync();
        await size.FillAsync("5");

        // A fixed-size kernel: the size typed for gaussian is hidden and must not be sent.
        await kernel.SelectOptionAsync("sobel-magnitude");
        await Expect(size).ToBeHiddenAsync();
        await Expect(sigma).ToBeHiddenAsync();
        await kernel.SelectOptionAsync("box");
        await Expect(size).ToBeVisibleAsync();
        await Expect(sigma).ToBeHiddenAsync();
        await kernel.SelectOptionAsync("custom");
        await Expect(matrix).ToBeVisibleAsync();
        await Expect(size).ToBeHiddenAsync();
        await kernel.SelectOptionAsync("sobel-magnitude");

        await section.GetByLabel("Image", new() { Exact = true }).SetInputFilesAsync(Sample("chelsea.png"));
        await section.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        await Expect(section.Locator("#status")).ToContainTextAsync("Server timing");
        await Expect(section.Locator("#status")).Not.ToContainTextAsync("Invalid kernel parameter");

        // 300 rows, a 3x3 window, stride 2, no padding: (300 - 3)/2 + 1 = 149.5, refused under exact...
        await section.GetByLabel("Padding", new() { Exact = true }).FillAsync("valid");
        await section.GetByLabel("Stride", new() { Exact = true }).FillAsync("2");
        await section.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        var status = section.Locator("#status");
        await Expect(status.Locator("strong")).ToHaveTextAsync("Filter does not fit");
        await Expect(status).ToContainTextAsync("149.5");

        // ...and rounded down under floor, which the page now offers.
        await section.GetByLabel("Fit").SelectOptionAsync("floor");
        await section.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        await Expect(status).ToContainTextAsync("Server timing");
        await session.Page.WaitForFunctionAsync("() => document.getElementById('result').naturalHeight === 149");
        Assert.Equal(225, await session.Page.EvaluateAsync<int>("() => document.getElementById('result').naturalWidth"));
        await session.ScreenshotAsync("kernel-fields", section);
        session.AssertRanCleanly();
    }

    [Fact]
    public async Task MatrixFilterShowsTheLecturesGAndTheWindowBehindACell()
    {
        await using var server = WorkbenchServer.Start();
        await using var session = await PageSession.OpenAsync(server);
        var section = session.Section("matrix-filter");

        // The lecture's f and the 3x3 box are there on load, already filtered: g is 8x8, as on the slide.
        await Expect(section.Locator("#matrix-status")).ToContainTextAsync("g is 8x8");
        var cells = section.Locator("#matrix-out-grid td");
        await Expect(cells).ToHaveCountAsync(64);
        var cell = section.GetByRole(AriaRole.Button, new() { Name = "g row 2 column 3: 90" });
        await cell.ClickAsync();

        await Expect(section.Locator("#matrix-in-grid td.window")).ToHaveCountAsync(9);
        await Expect(section.Locator("#matrix-window")).ToContainTextAsync("g[2][3] = 90 comes from f rows 2..4, columns 3..5");
        var window = await section.Locator("#matrix-in-grid td.window").AllTextContentsAsync();
        Assert.All(window, v => Assert.Equal("90", v));

        // By keyboard: Tab to the next cell moves the window one column right.
        await session.Page.Keyboard.PressAsync("Tab");
        await Expect(section.Locator("#matrix-window")).ToContainTextAsync("g[2][4] = 90 comes from f rows 2..4, columns 4..6");
        await session.ScreenshotAsync("matrix-filter", section);
        session.AssertRanCleanly();
    }

    [Fact]
    public async Task ComposingBoxAndLaplacianShowsTheFiveByFiveKernel()
    {
        await using var server = WorkbenchServer.Start();
        await using var session = await PageSession.OpenAsync(server);
        var section = session.Section("compose");

        await section.GetByLabel(new Regex("^Kernel 1")).SelectOptionAsync("box");
        await section.GetByLabel(new Regex("^Kernel 2")).SelectOptionAsync("laplacian");
        await section.GetByRole(AriaRole.Button, new() { Name = "Compose" }).ClickAsync();

        await Expect(section.Locator("#compose-status")).ToContainTextAsync("Composed kernel 5x5 (3x3 * 3x3 = 5x5)");
        await Expect(section.Locator("#compose-result tr")).ToHaveCountAsync(5);
        await Expect(section.Locator("#compose-result td")).ToHaveCountAsync(25);
        // A box (sum 1) after a Laplacian (sum 0) sums to 0, whatever the layout.
        var sum = (await section.Locator("#compose-result td").AllTextContentsAsync()).Sum(double.Parse);
        Assert.Equal(0, sum, 3);
        await session.ScreenshotAsync("compose", section);
        session.AssertRanCleanly();
    }
}
