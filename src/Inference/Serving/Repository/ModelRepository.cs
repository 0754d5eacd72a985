using System.Collections.Concurrent;
using System.Globalization;
using ConvService.Inference.Engine;
using ConvService.Inference.Errors;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Execution;

namespace ConvService.Inference.Serving.Repository;

/// <summary>
/// The served models, Triton-style: one folder per model (model.onnx + model.json) under a root that may be a
/// shared volume, re-read by <see cref="Scan"/> so new, changed and removed folders take effect without a
/// restart; plus models registered in code from bytes. Uploads are validated completely before anything on
/// disk or in memory is replaced, so a bad upload leaves the old model serving.
/// </summary>
public sealed class ModelRepository : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ModelEntry> entries = new(StringComparer.Ordinal);
    private readonly Lock changeLock = new();
    private readonly EngineOptions engine;
    private readonly ServingOptions serving;
    private readonly Action<RepositoryEvent> log;
    private readonly HashSet<string> skipsReported = new(StringComparer.Ordinal);

    public ModelRepository(string? folder, ServingOptions serving, EngineOptions? engine = null, Action<RepositoryEvent>? log = null)
    {
        Folder = folder;
        this.serving = serving;
        this.engine = engine ?? EngineOptions.Default;
        this.log = log ?? (_ => { });
    }

    /// <summary>The repository root, or null when only models registered in code are served.</summary>
    public string? Folder { get; }

    /// <summary>True once the first scan has finished: every model present at start-up is loaded or refused.</summary>
    public bool Loaded { get; private set; }

    public IReadOnlyList<ModelEntry> Models => entries.Values.OrderBy(e => e.Name, StringComparer.Ordinal).ToArray();

    public ModelEntry? Find(string name) => entries.TryGetValue(name, out var entry) ? entry : null;

    /// <summary>Registers a model built in code (e.g. a network with seeded weights). Throws 422 with every reason if it cannot be served.</summary>
    public ModelEntry Register(string name, ReadOnlySpan<byte> onnx, ModelDescriptor descriptor, IReadOnlyDictionary<string, byte[]>? files = null)
    {
        CheckName(name);
        var served = ModelLoader.Load(name, onnx, descriptor, f => files?.GetValueOrDefault(f), engine, serving);
        var entry = new ModelEntry(name, ModelSource.Memory, served, served.Descriptor, [], "memory", DateTimeOffset.UtcNow);
        lock (changeLock)
        {
            Swap(name, entry);
        }

        log(new RepositoryEvent(RepositoryEventKind.Loaded, name, "registered in code"));
        return entry;
    }

    /// <summary>Brings the served set in line with the folder: loads new and changed folders, drops removed ones.</summary>
    public void Scan()
    {
        lock (changeLock)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var dir in ModelFolders())
            {
                var name = Path.GetFileName(dir);
                if (!ModelNames.IsValid(name))
                {
                    Skip(name, $"folder name is not a valid model name ({ModelNames.Rule}); rename it");
                    continue;
                }

                seen.Add(name);
                var existing = Find(name);
                if (existing?.Source == ModelSource.Memory)
                {
                    Skip(name, "a model of this name is registered in code; the folder is ignored");
                    continue;
                }

                var fingerprint = Fingerprint(dir);
                if (existing is not null && existing.Fingerprint == fingerprint)
                {
                    continue;
                }

                Swap(name, LoadFolder(name, dir, fingerprint));
            }

            foreach (var gone in entries.Values.Where(e => e.Source == ModelSource.Folder && !seen.Contains(e.Name)).ToArray())
            {
                Swap(gone.Name, null);
                log(new RepositoryEvent(RepositoryEventKind.Removed, gone.Name, "folder removed"));
            }

            Loaded = true;
        }
    }

    /// <summary>
    /// Validates an uploaded model (and optional model.json) completely, then writes its folder and swaps it in.
    /// Without a model.json the current descriptor is kept, or a default one made from the graph.
    /// </summary>
    /// <param name="files">Further files for the folder (a preprocessing graph, a training report), written with the model.</param>
    public ModelEntry Install(string name, byte[] onnx, byte[]? descriptorJson, IReadOnlyDictionary<string, byte[]>? files = null)
    {
        CheckName(name);
        lock (changeLock)
        {
            var existing = Find(name);
            if (existing?.Source == ModelSource.Memory)
            {
                throw ConvServiceException.DoesNotFit("Model is built in", $"Model '{name}' is registered by the service itself and cannot be replaced by an upload. Upload under another name.");
            }

            var problems = new List<string>();
            var descriptor = descriptorJson is null ? existing?.Descriptor : ModelDescriptorReader.Parse(descriptorJson, problems);
            if (problems.Count > 0)
            {
                throw ModelLoader.Refuse(name, problems);
            }

            var oldFolder = Folder is null ? null : Path.Combine(Folder, name);
            var served = ModelLoader.Load(name, onnx, descriptor, f => files?.GetValueOrDefault(f) ?? ReadFile(oldFolder, f), engine, serving);
            var fingerprint = "memory";
            if (Folder is not null)
            {
                try
                {
                    fingerprint = WriteFolder(name, onnx, descriptorJson ?? ModelDescriptorReader.Serialize(served.Descriptor), served.Descriptor.Preprocessing.Graph, files);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    _ = served.DisposeAsync();
                    throw new RepositoryWriteException(Folder, e);
                }
            }

            var entry = new ModelEntry(name, ModelSource.Folder, served, served.Descriptor, [], fingerprint, DateTimeOffset.UtcNow);
            Swap(name, entry);
            log(new RepositoryEvent(RepositoryEventKind.Loaded, name, "installed from an upload"));
            return entry;
        }
    }

    /// <summary>Stops serving the model and deletes its folder. False when there was no such model.</summary>
    public bool Remove(string name)
    {
        lock (changeLock)
        {
            var existing = Find(name);
            var dir = Folder is null || !ModelNames.IsValid(name) ? null : Path.Combine(Folder, name);
            if (dir is not null && Directory.Exists(dir))
            {
                // Renamed first so a scan on another replica never sees a half-deleted folder.
                var trash = Path.Combine(Folder!, $".{name}.deleted-{Guid.NewGuid():N}");
                try
                {
                    Directory.Move(dir, trash);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new RepositoryWriteException(Folder!, e);
                }

                Directory.Delete(trash, recursive: true);
            }
            else if (existing is null)
            {
                return false;
            }

            Swap(name, null);
            log(new RepositoryEvent(RepositoryEventKind.Removed, name, "deleted"));
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in entries.Values)
        {
            if (entry.Served is not null)
            {
                await entry.Served.DisposeAsync().ConfigureAwait(false);
            }
        }

        entries.Clear();
    }

    private static void CheckName(string name)
    {
        if (!ModelNames.IsValid(name))
        {
            throw ConvServiceException.InvalidInput("Invalid model name", $"'{name}' is not a valid model name: use {ModelNames.Rule}.");
        }
    }

    private IEnumerable<string> ModelFolders()
    {
        if (Folder is null || !Directory.Exists(Folder))
        {
            return [];
        }

        // Hidden folders are uploads and deletions in progress.
        return Directory.EnumerateDirectories(Folder)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Where(d => File.Exists(Path.Combine(d, ModelLoader.ModelFileName)) || File.Exists(Path.Combine(d, ModelDescriptorReader.FileName)))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    private ModelEntry LoadFolder(string name, string dir, string fingerprint)
    {
        var problems = new List<string>();
        ModelDescriptor? descriptor = null;
        try
        {
            var descriptorPath = Path.Combine(dir, ModelDescriptorReader.FileName);
            if (File.Exists(descriptorPath))
            {
                descriptor = ModelDescriptorReader.Parse(File.ReadAllBytes(descriptorPath), problems);
            }

            var modelPath = Path.Combine(dir, ModelLoader.ModelFileName);
            if (!File.Exists(modelPath))
            {
                problems.Add($"The folder has no {ModelLoader.ModelFileName}: add the ONNX file.");
            }
            else if (new FileInfo(modelPath).Length > engine.MaxModelBytes)
            {
                problems.Add($"{ModelLoader.ModelFileName} is larger than the limit of {engine.MaxModelBytes} bytes.");
            }

            if (problems.Count == 0)
            {
                var served = ModelLoader.Load(name, File.ReadAllBytes(modelPath), descriptor, f => ReadFile(dir, f), engine, serving);
                log(new RepositoryEvent(RepositoryEventKind.Loaded, name, $"loaded from {dir}"));
                return new ModelEntry(name, ModelSource.Folder, served, served.Descriptor, [], fingerprint, DateTimeOffset.UtcNow);
            }
        }
        catch (ConvServiceException e) when (e.Extensions.TryGetValue("problems", out var listed) && listed is IEnumerable<string> each)
        {
            problems.AddRange(each);
        }
        catch (Exception e) when (e is ConvServiceException or IOException or UnauthorizedAccessException)
        {
            problems.Add(e.Message);
        }

        log(new RepositoryEvent(RepositoryEventKind.Failed, name, string.Join(" ", problems)));
        return new ModelEntry(name, ModelSource.Folder, null, descriptor, problems, fingerprint, DateTimeOffset.UtcNow);
    }

    private string WriteFolder(string name, byte[] onnx, byte[] descriptorJson, string? graphFile, IReadOnlyDictionary<string, byte[]>? files)
    {
        var target = Path.Combine(Folder!, name);
        var staging = Path.Combine(Folder!, $".{name}.upload-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            File.WriteAllBytes(Path.Combine(staging, ModelLoader.ModelFileName), onnx);
            File.WriteAllBytes(Path.Combine(staging, ModelDescriptorReader.FileName), descriptorJson);
            foreach (var (file, bytes) in files ?? new Dictionary<string, byte[]>())
            {
                if (ModelNames.IsValidFileName(file) && file != ModelLoader.ModelFileName && file != ModelDescriptorReader.FileName)
                {
                    File.WriteAllBytes(Path.Combine(staging, file), bytes);
                }
            }

            if (graphFile is not null && files?.ContainsKey(graphFile) != true && File.Exists(Path.Combine(target, graphFile)))
            {
                File.Copy(Path.Combine(target, graphFile), Path.Combine(staging, graphFile));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A half-written upload on a full disk would keep the space the next attempt needs.
            DeleteQuietly(staging);
            throw;
        }

        // Swap folders by renaming, so readers see the old or the new model, never a mix.
        if (Directory.Exists(target))
        {
            var old = Path.Combine(Folder!, $".{name}.replaced-{Guid.NewGuid():N}");
            Directory.Move(target, old);
            Directory.Move(staging, target);
            Directory.Delete(old, recursive: true);
        }
        else
        {
            Directory.Move(staging, target);
        }

        return Fingerprint(target);
    }

    private static void DeleteQuietly(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Hidden folders are skipped by scans; a leftover costs space, not correctness.
        }
    }

    private static byte[]? ReadFile(string? dir, string file)
    {
        if (dir is null || !ModelNames.IsValidFileName(file))
        {
            return null;
        }

        var path = Path.Combine(dir, file);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    /// <summary>Sizes and write times of every file in the folder: cheap to compute on each poll, changes on any edit.</summary>
    private static string Fingerprint(string dir) => string.Join(
        ";",
        Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal).Select(f =>
        {
            var info = new FileInfo(f);
            return string.Create(CultureInfo.InvariantCulture, $"{info.Name}:{info.Length}:{info.LastWriteTimeUtc.Ticks}");
        }));

    /// <summary>Logged once per folder and reason, not on every poll.</summary>
    private void Skip(string name, string reason)
    {
        if (skipsReported.Add(name + "\n" + reason))
        {
            log(new RepositoryEvent(RepositoryEventKind.Skipped, name, reason));
        }
    }

    private void Swap(string name, ModelEntry? entry)
    {
        ModelEntry? old;
        if (entry is null)
        {
            entries.TryRemove(name, out old);
        }
        else
        {
            entries.TryGetValue(name, out old);
            entries[name] = entry;
        }

        // In-flight requests hold the old model; its executor answers what is queued, then frees its sessions.
        if (old?.Served is { } served && !ReferenceEquals(served, entry?.Served))
        {
            _ = served.DisposeAsync().AsTask();
        }
    }
}
