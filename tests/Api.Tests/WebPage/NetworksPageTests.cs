using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ConvService.Api.Tests.WebPage;

/// <summary>The network sections: a built-in report, a refused spec, and a comparison with charts.</summary>
public sealed class NetworksPageTests
{
    [Fact]
    public async Task Vgg16ReportShowsTheLecturesParameterTotal()
    {
        await using var server = WorkbenchServer.Start();
        await using var session = await PageSession.OpenAsync(server);
        var section = session.Section("network");

        await section.GetByLabel("Built-in network").SelectOptionAsync("vgg16");
        await section.GetByRole(AriaRole.Button, new() { Name = "Report", Exact = true }).ClickAsync();

        var table = section.Locator("#network-table");
        await Expect(table.Locator("tfoot")).ToContainTextAsync("138,357,544");
        await Expect(table.Locator("thead")).ToContainTextAsync("Layer" + "Output volume" + "Parameters" + "Multiply-adds" + "Memory" + "Receptive field" + "Formula");
        // The lecture's first conv row: 224x224x64, (3*3*3)*64 + 64 = 1,792 parameters.
        var conv1 = table.Locator("tbody tr", new() { HasText = "conv1_1" });
        await Expect(conv1).ToContainTextAsync("224x224x64");
        await Expect(conv1).ToContainTextAsync("1,792");
        await session.ScreenshotAsync("network-vgg16", section);
        session.AssertRanCleanly();
    }

    [Fact]
    public async Task ARefusedSpecIsShownAtItsLayerWithItsFormula()
    {
        await using var server = WorkbenchServer.Start();
        await using var session = await PageSession.OpenAsync(server);
        var section = session.Section("network");

        await section.GetByLabel("Spec (JSON)").FillAsync(
            """{"name": "odd", "input": [1, 32, 32], "layers": [{"type": "conv", "filters": 6, "size": 3}, {"type": "conv", "filters": 6, "size": 5, "stride": 2, "name": "strided"}]}""");
        await section.GetByRole(AriaRole.Button, new() { Name = "Report for the spec" }).ClickAsync();

        var status = section.Locator("#network-status");
        await Expect(status.Locator("strong")).ToHaveTextAsync("Stride does not fit");
        await Expect(status.Locator(".layer-at")).ToHaveTextAsync("At layers[1] ('strided'):");
        await Expect(status).ToContainTextAsync("(30 - 5)/2 + 1 = 13.5");
        await Expect(status.Locator("pre")).ToContainTextAsync("\"stride\": 2");
        await session.ScreenshotAsync("network-error", section);
        session.AssertRanCleanly();
    }

    [Fact]
    public async Task ComparingTwoNetworksDrawsTotalAndPerLayerCharts()
    {
        await using var server = WorkbenchServer.Start();
        await using var session = await PageSession.OpenAsync(server);
        var section = session.Section("compare");

        await section.GetByLabel("alexnet", new() { Exact = true }).CheckAsync();
        await section.GetByLabel("vgg16", new() { Exact = true }).CheckAsync();
        await section.GetByLabel("resnet18", new() { Exact = true }).UncheckAsync();
        await section.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();

        // Parameters, multiply-adds and memory, each as a total and per layer.
        var charts = section.Locator("#compare-charts figure.chart");
        await Expect(charts).ToHaveCountAsync(6);
        var totals = charts.Filter(new() { HasText = "Parameters, total" });
        await Expect(totals.Locator("rect.bar")).ToHaveCountAsync(2);
        await Expect(totals.Locator("svg")).ToHaveAttributeAsync("aria-label", new Regex("alexnet 62,378,344, vgg16 138,357,544"));
        var widths = await totals.Locator("rect.bar").EvaluateAllAsync<double[]>("bars => bars.map(b => b.width.baseVal.value)");
        Assert.True(widths[1] > 2 * widths[0], $"VGG-16 has more than twice AlexNet's parameters; bars {widths[0]} and {widths[1]}");
        var perLayer = charts.Filter(new() { HasText = "Multiply-adds per layer" });
        await Expect(perLayer.Locator("polyline")).ToHaveCountAsync(2);
        await Expect(perLayer.Locator(".legend li")).ToHaveTextAsync(["alexnet", "vgg16"]);
        await session.ScreenshotAsync("compare", section);
        session.AssertRanCleanly();
    }
}
