using System.Text.RegularExpressions;
using ConvService.Api.Tests.Models;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ConvService.Api.Tests.WebPage;

/// <summary>The model sections: details, a digit drawn with the mouse, activation maps, upload and delete.</summary>
public sealed class ModelsPageTests
{
    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", name);

    /// <summary>
    /// A 7 as a person draws it on the 280x280 canvas: across the top, then down to the lower left. The same strokes
    /// rendered offline are read by lenet5-mnist as 7 with a probability above 0.99.
    /// </summary>
    private static async Task DrawSevenAsync(IPage page, ILocator canvas)
    {
        await canvas.ScrollIntoViewIfNeededAsync();
        var box = await canvas.BoundingBoxAsync() ?? throw new InvalidOperationException("The drawing canvas is not on screen.");
        var scale = box.Width / 280;
        (float X, float Y) At(float x, float y) => ((float)(box.X + x * scale), (float)(box.Y + y * scale));
        var start = At(70, 60);
        await page.Mouse.MoveAsync(start.X, start.Y);
        await page.Mouse.DownAsync();
        foreach (var (x, y) in new[] { At(210, 60), At(130, 230) })
        {
            await page.Mouse.MoveAsync(x, y, new() { Steps = 15 });
        }

        await page.Mouse.UpAsync();
    }

    [Fact]
    public async Task ADrawnSevenIsReadAsSeven()
    {
        await using var server = WorkbenchServer.Start();
        await using var session = await PageSession.OpenAsync(server);
        var section = session.Section("predict");

        await Expect(section.GetByLabel("Model")).ToHaveValueAsync("lenet5-mnist");
        await DrawSevenAsync(session.Page, section.Locator("#digit-canvas"));
        await section.GetByRole(AriaRole.Button, new() { Name = "Predict", Exact = true }).ClickAsync();

        await Expect(section.Locator("#predict-status")).ToContainTextAsync("lenet5-mnist reads it as 7");
        var bars = section.Locator("#predict-bars li");
        await Expect(bars).ToHaveCountAsync(5);
        await Expect(bars.First).ToHaveAttributeAsync("data-label", "7");
        var width = await bars.First.Locator(".bar span").EvaluateAsync<double>("bar => bar.getBoundingClientRect().width / bar.parentElement.getBoundingClientRect().width");
        Assert.True(width > 0.5, $"The first bar fills {width:P0} of its track; a 7 read clearly should fill most of it.");
        await session.ScreenshotAsync("predict-seven", section);

        // The list shows the model's inputs, outputs and layers.
        var models = session.Section("models");
        await models.GetByRole(AriaRole.Button, new() { Name = "Details of lenet5-mnist" }).ClickAsync();
        await Expect(models.Locator("#model-details")).ToContainTextAsync("probabilities[-1, 10]");
        await Expect(models.Locator("#model-details table", new() { HasText = "Layers" }).Locator("tbody tr")).ToHaveCountAsync(11);
        session.AssertRanCleanly();
    }

    [Fact]
    public async Task AnActivationMapShowsOneTilePerChannelWithItsRangeOnHover()
    {
        await using var server = WorkbenchServer.Start();
        await using var session = await PageSession.OpenAsync(server);
        var section = session.Section("activations");

        await Expect(section.GetByLabel("Model")).ToHaveValueAsync("lenet5-mnist");
        await section.GetByLabel("Layer").SelectOptionAsync("conv1");
        await section.GetByLabel("Image").SetInputFilesAsync(Sample("chelsea.png"));
        await section.GetByRole(AriaRole.Button, new() { Name = "Show the maps" }).ClickAsync();

        await Expect(section.Locator("#activations-status")).ToContainTextAsync("conv1: 6 maps of 28x28");
        var tiles = section.Locator("#activations-grid canvas");
        await Expect(tiles).ToHaveCountAsync(6);
        await tiles.Nth(2).HoverAsync();
        var readout = section.Locator("#activations-readout");
        await Expect(readout).ToHaveTextAsync(new Regex(@"^channel 2: -?\d+\.\d{3} to -?\d+\.\d{3}$"));
        // conv1 is fused with its ReLU: no value below zero.
        var low = double.Parse(Regex.Match(await readout.TextContentAsync() ?? "", @"channel 2: (-?\d+\.\d{3})").Groups[1].Value);
        Assert.True(low >= 0, $"A ReLU output starts at {low}");

        // By keyboard too: the tiles follow the button in the focus order, and focusing one reads its channel.
        await session.Page.Keyboard.PressAsync("Tab");
        await Expect(readout).ToContainTextAsync("channel 0:");
        await session.Page.Keyboard.PressAsync("Tab");
        await Expect(readout).ToContainTextAsync("channel 1:");
        await session.ScreenshotAsync("activations", section);
        session.AssertRanCleanly();
    }

    [Fact]
    public async Task APhotoComparedWithItselfThroughEmbedHasSimilarityOne()
    {
        await using var server = WorkbenchServer.Start();
        await using var session = await PageSession.OpenAsync(server);
        var section = session.Section("similarity");

        await section.GetByLabel("Model").SelectOptionAsync("lenet5-mnist");
        await section.GetByLabel("First photo").SetInputFilesAsync(Sample("chelsea.png"));
        await section.GetByLabel("Second photo").SetInputFilesAsync(Sample("chelsea.png"));
        await section.GetByRole(AriaRole.Button, new() { Name = "Compare the photos" }).ClickAsync();

        await Expect(section.Locator("#similarity-status")).ToHaveTextAsync("Cosine similarity 1.0000 (10 features each, from lenet5-mnist).");
        session.AssertRanCleanly();
    }

    [Fact]
    public async Task AModelIsUploadedAndDeletedWithTheKeyTypedIntoThePage()
    {
        await using var server = WorkbenchServer.Start();
        await using var session = await PageSession.OpenAsync(server);
        var section = session.Section("admin");
        var status = section.Locator("#admin-status");
        var onnx = Path.Combine(ModelService.ShippedModels, "lenet5-mnist", "model.onnx");

        await section.GetByLabel("Name").FillAsync("digits-copy");
        await section.GetByLabel("ONNX file").SetInputFilesAsync(onnx);

        // A wrong key is refused with the problem's title and detail.
        await section.GetByLabel("API key").FillAsync("not-the-key");
        await section.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Expect(status.Locator("strong")).ToHaveTextAsync("Wrong API key");
        await Expect(status).ToContainTextAsync("X-Api-Key");

        await section.GetByLabel("API key").FillAsync(WorkbenchServer.ApiKey);
        await section.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Expect(status).ToContainTextAsync("Uploaded digits-copy");
        Assert.True(File.Exists(Path.Combine(server.ModelsFolder, "digits-copy", "model.onnx")));
        await Expect(session.Section("models").Locator("#models-table")).ToContainTextAsync("digits-copy");
        Assert.Equal(WorkbenchServer.ApiKey, await session.Page.EvaluateAsync<string>("() => sessionStorage.getItem('convservice.apiKey')"));
        Assert.Equal(0, await session.Page.EvaluateAsync<int>("() => localStorage.length"));
        await session.ScreenshotAsync("model-uploaded", section);

        await section.GetByLabel("Model to delete").SelectOptionAsync("digits-copy");
        await section.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(status).ToContainTextAsync("Deleted digits-copy");
        await Expect(session.Section("models").Locator("#models-table")).Not.ToContainTextAsync("digits-copy");
        Assert.False(Directory.Exists(Path.Combine(server.ModelsFolder, "digits-copy")));
        session.AssertRanCleanly();
    }
}
