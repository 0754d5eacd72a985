using ConvService.Inference.Errors;
using ConvService.Inference.Serving;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Execution;
using ConvService.Inference.Serving.Repository;

namespace ConvService.Inference.Tests.Serving;

public sealed class ModelRepositoryTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "convservice-repo-" + Guid.NewGuid().ToString("N"));
    private readonly List<RepositoryEvent> events = [];

    public ModelRepositoryTests() => Directory.CreateDirectory(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    private ModelRepository Create() => new(root, new ServingOptions { PoolSize = 1 }, log: e =>
    {
        lock (events)
        {
            events.Add(e);
        }
    });

    private void WriteModel(string name, byte[] onnx, string? json = null)
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        File.WriteAllBytes(Path.Combine(dir, "model.onnx"), onnx);
        if (json is not null)
        {
            File.WriteAllText(Path.Combine(dir, "model.json"), json);
        }
    }

    [Theory]
    [InlineData("lenet5-mnist", true)]
    [InlineData("a", true)]
    [InlineData("v1.2_x", true)]
    [InlineData("", false)]
    [InlineData("..", false)]
    [InlineData("a..b", false)]
    [InlineData(".hidden", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData("Upper", false)]
    [InlineData("with space", false)]
    public void ModelNamesAreSafeFolderNames(string name, bool valid)
    {
        Assert.Equal(valid, ModelNames.IsValid(name));
        Assert.False(ModelNames.IsValid(new string('a', 65)));
        Assert.True(ModelNames.IsValid(new string('a', 64)));
    }

    [Fact]
    public async Task ABadFolderIsReportedWithoutBreakingTheOthers()
    {
        WriteModel("good", ServingModels.TinyClassifierBytes(), """{"task":"classify","version":"3","labels":["a","b","c"]}""");
        WriteModel("broken", [1, 2, 3, 4]);
        WriteModel("bad-json", ServingModels.TinyClassifierBytes(), "{ not json");
        Directory.CreateDirectory(Path.Combine(root, "Bad Name"));
        File.WriteAllBytes(Path.Combine(root, "Bad Name", "model.onnx"), ServingModels.TinyClassifierBytes());
        await using var repository = Create();

        repository.Scan();

        Assert.True(repository.Loaded);
        Assert.Equal(["bad-json", "broken", "good"], repository.Models.Select(m => m.Name));
        var good = repository.Find("good")!;
        Assert.True(good.Ready);
        Assert.Equal("3", good.Descriptor!.Version);
        Assert.Equal(8, good.Descriptor.Input.Height);
        Assert.False(repository.Find("broken")!.Ready);
        Assert.NotEmpty(repository.Find("broken")!.Problems);
        Assert.Contains("model.json", repository.Find("bad-json")!.Problems[0]);
        Assert.Contains(events, e => e.Kind == RepositoryEventKind.Skipped && e.Model == "Bad Name");
        Assert.Contains(events, e => e.Kind == RepositoryEventKind.Failed && e.Model == "broken");
        var output = await good.Served!.Executor.RunAsync(new float[64], CancellationToken.None);
        Assert.Equal(3, output[0].Length);
    }

    [Fact]
    public async Task NewChangedAndRemovedFoldersArePickedUpByTheNextScan()
    {
        await using var repository = Create();
        repository.Scan();
        Assert.Empty(repository.Models);

        WriteModel("m", ServingModels.TinyClassifierBytes(), """{"version":"1"}""");
        repository.Scan();
        var first = repository.Find("m")!;
        Assert.Equal("1", first.Descriptor!.Version);

        repository.Scan();
        Assert.Same(first, repository.Find("m"));   // unchanged folder: not reloaded

        File.WriteAllText(Path.Combine(root, "m", "model.json"), """{"version":"2"}""");
        File.SetLastWriteTimeUtc(Path.Combine(root, "m", "model.json"), DateTime.UtcNow.AddMinutes(1));
        repository.Scan();
        Assert.Equal("2", repository.Find("m")!.Descriptor!.Version);

        Directory.Delete(Path.Combine(root, "m"), recursive: true);
        repository.Scan();
        Assert.Null(repository.Find("m"));
    }

    [Fact]
    public async Task ABadUploadIsRefusedWithEveryReasonAndTheOldModelKeepsServing()
    {
        WriteModel("m", ServingModels.TinyClassifierBytes(), """{"version":"1"}""");
        await using var repository = Create();
        repository.Scan();
        var before = repository.Find("m")!;

        var badJson = """{"task":"sing","preprocessing":{"resize":"zoom"},"labels":["x"]}"""u8.ToArray();
        var error = Assert.Throws<ConvServiceException>(() => repository.Install("m", ServingModels.TinyClassifierBytes(), badJson));
        Assert.Equal(ErrorKind.DoesNotFit, error.Kind);
        var problems = Assert.IsType<string[]>(error.Extensions["problems"]);
        Assert.Contains(problems, p => p.Contains("task"));
        Assert.Contains(problems, p => p.Contains("resize"));
        Assert.Contains(problems, p => p.Contains("labels"));

        Assert.Throws<ConvServiceException>(() => repository.Install("m", [0x08, 0x07, 0x12], null));
        Assert.Same(before, repository.Find("m"));
        Assert.True(before.Ready);
        Assert.Equal(ServingModels.TinyClassifierBytes(), File.ReadAllBytes(Path.Combine(root, "m", "model.onnx")));
    }

    [Fact]
    public async Task ARequestHoldingAVersionFinishesOnItAfterAReplaceAndADelete()
    {
        WriteModel("m", ServingModels.TinyClassifierBytes(1), """{"version":"1","labels":["a","b","c"]}""");
        await using var repository = Create();
        repository.Scan();
        var image = ServingModels.RandomImage(new Random(4));

        // Accepted before the replacement: it holds version 1 but has not queued its work yet.
        using (var hold = repository.Find("m")!.Served!.TryHold()!)
        {
            repository.Install("m", ServingModels.TinyClassifierBytes(2), """{"version":"2","labels":["a","b","c"]}"""u8.ToArray());
            Assert.Null(hold.Model.TryHold());
            var onOld = await hold.Model.Executor.RunAsync(image, CancellationToken.None);
            Assert.Equal(ServingModels.RunAlone(ServingModels.TinyClassifier(1), image), onOld[0]);
            Assert.Equal("1", hold.Model.Descriptor.Version);

            // New requests reach the new version.
            var current = repository.Find("m")!.Served!;
            Assert.Equal("2", current.Descriptor.Version);
            Assert.Equal(ServingModels.RunAlone(ServingModels.TinyClassifier(2), image), (await current.Executor.RunAsync(image, CancellationToken.None))[0]);
        }

        // A delete lets a held request finish too; once the last hold goes, the retired version takes no more work.
        var held = repository.Find("m")!.Served!.TryHold()!;
        var retired = held.Model;
        Assert.True(repository.Remove("m"));
        Assert.Equal(3, (await retired.Executor.RunAsync(image, CancellationToken.None))[0].Length);
        held.Dispose();
        await Assert.ThrowsAsync<ModelRetiredException>(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await retired.Executor.RunAsync(image, CancellationToken.None);
                await Task.Delay(10);
            }
        });
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(1000, 1000)]
    [InlineData(4096, 0)]
    public void ADerivedDescriptorLabelsOnlyASmallNumberOfOutputs(int outputs, int labels)
    {
        var b = new ConvService.Inference.Onnx.OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [1, outputs]);
        b.Output(b.Node("Relu", "relu", [x], [1, outputs]));
        var descriptor = ModelDescriptorReader.Default("m", ConvService.Inference.Onnx.OnnxModel.Load(b.ToBytes()));
        Assert.Equal(labels, descriptor.Labels.Count);
        Assert.True(ModelDescriptorReader.Serialize(descriptor).Length < 16_384);
    }

    [Fact]
    public async Task AGoodUploadReplacesTheFolderAndKeepsTheDescriptor()
    {
        WriteModel("m", ServingModels.TinyClassifierBytes(1), """{"version":"7","labels":["a","b","c"]}""");
        await using var repository = Create();
        repository.Scan();

        var replacement = ServingModels.TinyClassifierBytes(2);
        var entry = repository.Install("m", replacement, null);

        Assert.True(entry.Ready);
        Assert.Equal("7", entry.Descriptor!.Version);
        Assert.Equal(replacement, File.ReadAllBytes(Path.Combine(root, "m", "model.onnx")));
        Assert.Empty(Directory.GetDirectories(root, ".*"));
        repository.Scan();
        Assert.Same(entry, repository.Find("m"));   // its own write is not seen as a change

        Assert.True(repository.Remove("m"));
        Assert.False(Directory.Exists(Path.Combine(root, "m")));
        Assert.False(repository.Remove("m"));
    }

    [Fact]
    public async Task AModelRegisteredInCodeIsServedAndSurvivesScans()
    {
        await using var repository = Create();
        var descriptor = new ModelDescriptor { Task = ModelTasks.Classify, DisplayName = "Seeded" };
        repository.Register("seeded", ServingModels.TinyClassifierBytes(), descriptor);
        repository.Scan();

        var entry = repository.Find("seeded")!;
        Assert.Equal(ModelSource.Memory, entry.Source);
        Assert.Equal("input", entry.Descriptor!.Input.Name);
        var output = await entry.Served!.Executor.RunAsync(new float[64], CancellationToken.None);
        Assert.Equal(1f, output[0].Sum(), 4);
        Assert.Throws<ConvServiceException>(() => repository.Register("../x", ServingModels.TinyClassifierBytes(), descriptor));
    }
}
