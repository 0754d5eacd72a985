using System.Text.RegularExpressions;
using ConvService.Api.Tests.Classifiers;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ConvService.Api.Tests.WebPage;

/// <summary>The classifier section: class buckets filled from files and by drag-and-drop, training, the report, a new image, delete.</summary>
public sealed class ClassifierPageTests
{
    private static FilePayload[] Patches(string texture, params int[] indices) =>
        indices.Select(i => new FilePayload { Name = $"{texture}-{i}.png", MimeType = "image/png", Buffer = PatchImages.Patch(texture + ".png", i) }).ToArray();

    /// <summary>Drops a PNG on a bucket as the browser does for a file dragged from the desktop: a drop event carrying a DataTransfer.</summary>
    private static async Task DropAsync(IPage page, ILocator zone, FilePayload file)
    {
        var transfer = await page.EvaluateHandleAsync(
            """
            ([name, base64]) => {
              const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
              const transfer = new DataTransfer();
              transfer.items.add(new File([bytes], name, { type: "image/png" }));
              return transfer;
            }
            """,
            new object[] { file.Name, Convert.ToBase64String(file.Buffer) });
        await zone.DispatchEventAsync("dragover", new { dataTransfer = transfer });
        await zone.DispatchEventAsync("drop", new { dataTransfer = transfer });
    }

    [Fact]
    public async Task BrickAndGrassPatchesTrainAClassifierThatReadsAnUnseenBrickPatch()
    {
        await using var server = WorkbenchServer.Start();
        await using var session = await PageSession.OpenAsync(server);
        var page = session.Page;
        var section = session.Section("classifier");

        // The key typed here is the one the upload section uses: typed once, kept in sessionStorage.
        await section.GetByLabel("API key").FillAsync(WorkbenchServer.ApiKey);
        await Expect(session.Section("admin").GetByLabel("API key")).ToHaveValueAsync(WorkbenchServer.ApiKey);
        await section.GetByLabel("Classifier name").FillAsync("textures");
        await section.GetByLabel("Features").SelectOptionAsync("mr8");
        await section.GetByLabel("Method").SelectOptionAsync("centroid");

        // Two buckets to start with; a third is added (focus goes to its name) and removed again.
        var buckets = section.Locator("fieldset.bucket");
        await Expect(buckets).ToHaveCountAsync(2);
        await section.GetByRole(AriaRole.Button, new() { Name = "Add a class" }).ClickAsync();
        await Expect(buckets).ToHaveCountAsync(3);
        await Expect(buckets.Nth(2).GetByLabel("Class name")).ToBeFocusedAsync();
        await buckets.Nth(2).GetByRole(AriaRole.Button, new() { Name = "Remove this class" }).ClickAsync();
        await Expect(buckets).ToHaveCountAsync(2);

        // Per class: two patches through the file input, one dropped on the bucket.
        foreach (var (bucket, texture) in new[] { (buckets.Nth(0), "brick"), (buckets.Nth(1), "grass") })
        {
            await bucket.GetByLabel("Class name").FillAsync(texture);
            await bucket.GetByLabel("Add images").SetInputFilesAsync(Patches(texture, 0, 3));
            await DropAsync(page, bucket.Locator(".drop"), Patches(texture, 6)[0]);
            await Expect(bucket.Locator(".thumbs img")).ToHaveCountAsync(3);
            await Expect(bucket.Locator(".bucket-count")).ToHaveTextAsync("3 images");
        }

        // An image put in the wrong bucket is taken out with its own remove button.
        var brick = buckets.Nth(0);
        await brick.GetByLabel("Add images").SetInputFilesAsync(Patches("grass", 9));
        await Expect(brick.Locator(".thumbs img")).ToHaveCountAsync(4);
        await brick.GetByRole(AriaRole.Button, new() { Name = "Remove grass-9.png from brick" }).ClickAsync();
        await Expect(brick.Locator(".thumbs img")).ToHaveCountAsync(3);

        // A wrong key is refused with the problem's title and detail, and nothing is stored.
        var train = section.GetByRole(AriaRole.Button, new() { Name = "Train", Exact = true });
        var status = section.Locator("#classifier-status");
        await section.GetByLabel("API key").FillAsync("not-the-key");
        await train.ClickAsync();
        await Expect(status.Locator("strong")).ToHaveTextAsync("Wrong API key");
        await Expect(status).ToContainTextAsync("X-Api-Key");
        Assert.False(Directory.Exists(Path.Combine(server.ModelsFolder, "textures")));

        await section.GetByLabel("API key").FillAsync(WorkbenchServer.ApiKey);
        await train.ClickAsync();
        await Expect(status).ToContainTextAsync("Trained textures (version 1)");

        var report = section.Locator("#classifier-report");
        await Expect(report.Locator(".accuracy")).ToHaveTextAsync(new Regex(@"^Leave-one-out accuracy \d+\.\d % \(\d of 6 images\)$"));
        await Expect(report.Locator(".time-taken")).ToHaveTextAsync(new Regex(@"^\d+(\.\d)? m?s \(features "));
        await Expect(report.Locator(".model-size")).ToHaveTextAsync(new Regex(@"^\d+\.\d KB$"));
        var matrix = report.Locator("table.confusion");
        await Expect(matrix.Locator("thead th")).ToHaveTextAsync(["true \\ predicted", "brick", "grass"]);
        await Expect(matrix.Locator("tbody th[scope=row]")).ToHaveTextAsync(["brick", "grass"]);
        await Expect(matrix.Locator("tbody td")).ToHaveCountAsync(4);
        var counts = await matrix.Locator("tbody td").AllTextContentsAsync();
        Assert.Equal(6, counts.Sum(int.Parse));
        Assert.Equal(3, int.Parse(counts[0]) + int.Parse(counts[1]));
        Assert.True(File.Exists(Path.Combine(server.ModelsFolder, "textures", "model.onnx")));

        // A trained classifier is a model: the Predict section offers it too.
        await Expect(session.Section("predict").Locator("#predict-model option[value=textures]")).ToHaveCountAsync(1);

        // An unseen brick patch, from the bottom row of the sample.
        await Expect(section.GetByLabel("Trained classifier")).ToHaveValueAsync("textures");
        await section.GetByLabel("Image to classify").SetInputFilesAsync(Patches("brick", 60));
        await Expect(section.Locator("#classifier-try-status")).ToContainTextAsync("textures reads brick-60.png as brick");
        var bars = section.Locator("#classifier-try-bars li");
        await Expect(bars).ToHaveCountAsync(2);
        await Expect(bars.First).ToHaveAttributeAsync("data-label", "brick");
        await session.ScreenshotAsync("classifier", section);

        var list = section.Locator("#classifier-list");
        await Expect(list.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(list.Locator("tbody tr")).ToContainTextAsync("brick, grass");
        await list.GetByRole(AriaRole.Button, new() { Name = "Delete textures" }).ClickAsync();
        await Expect(section.Locator("#classifier-list-status")).ToHaveTextAsync("Deleted textures.");
        await Expect(list).ToContainTextAsync("No classifiers yet");
        await Expect(session.Section("predict").Locator("#predict-model option[value=textures]")).ToHaveCountAsync(0);
        Assert.False(Directory.Exists(Path.Combine(server.ModelsFolder, "textures")));
        session.AssertRanCleanly();
    }
}
