using ConvService.Inference.Engine;
using ConvService.Inference.Errors;
using ConvService.Inference.Onnx;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Execution;
using ConvService.Inference.Serving.Preprocessing;

namespace ConvService.Inference.Serving.Repository;

/// <summary>
/// Builds a <see cref="ServedModel"/> from ONNX bytes and a descriptor, validating everything first (graph,
/// operators, shapes, descriptor against graph, preprocessing graph) and refusing with every reason at once.
/// </summary>
public static class ModelLoader
{
    public const string ModelFileName = "model.onnx";

    public const string RefusalTitle = "The model cannot be served";

    /// <param name="readGraphFile">Reads a file the descriptor names (its preprocessing graph); null when there is no folder.</param>
    public static ServedModel Load(
        string name,
        ReadOnlySpan<byte> onnx,
        ModelDescriptor? descriptor,
        Func<string, byte[]?>? readGraphFile,
        EngineOptions engine,
        ServingOptions serving)
    {
        var problems = new List<string>();
        CompiledModel? model = null;
        try
        {
            model = OnnxModel.Load(onnx, engine);
        }
        catch (ConvServiceException e)
        {
            AddProblems(problems, e);
        }

        if (model is null)
        {
            throw Refuse(name, problems);
        }

        descriptor = descriptor is null ? ModelDescriptorReader.Default(name, model) : ModelDescriptorReader.Complete(descriptor, name, model);
        ModelDescriptorReader.Check(descriptor, model, problems);
        var graph = LoadGraph(descriptor, readGraphFile, engine, problems);
        if (problems.Count > 0)
        {
            throw Refuse(name, problems);
        }

        var executor = new ModelExecutor(name, model, serving);
        return new ServedModel(descriptor, model, executor, new ImagePreprocessor(descriptor, graph));
    }

    public static ConvServiceException Refuse(string name, IReadOnlyList<string> problems) => new(
        ErrorKind.DoesNotFit,
        RefusalTitle,
        $"Model '{name}' was not loaded: {string.Join(" ", problems.Select((p, i) => $"({i + 1}) {p}"))}",
        new Dictionary<string, object?> { ["problems"] = problems.ToArray() });

    private static CompiledModel? LoadGraph(ModelDescriptor descriptor, Func<string, byte[]?>? readGraphFile, EngineOptions engine, List<string> problems)
    {
        var file = descriptor.Preprocessing.Graph;
        if (file is null || !ModelNames.IsValidFileName(file))
        {
            return null;
        }

        var bytes = readGraphFile?.Invoke(file);
        if (bytes is null)
        {
            problems.Add($"model.json names the preprocessing graph '{file}' but the model folder has no such file: add it or remove preprocessing.graph.");
            return null;
        }

        try
        {
            var graph = OnnxModel.Load(bytes, engine);
            var expected = descriptor.Input.Channels * descriptor.Input.Height * descriptor.Input.Width;
            if (graph.Inputs.Count != 1 || graph.Inputs[0].ElementsPerImage != expected || graph.Outputs[0].ElementsPerImage != expected)
            {
                problems.Add($"The preprocessing graph '{file}' must map one tensor of {expected} values per image to another of the same size.");
                return null;
            }

            return graph;
        }
        catch (ConvServiceException e)
        {
            problems.Add($"The preprocessing graph '{file}' cannot be used: {e.Message}");
            return null;
        }
    }

    private static void AddProblems(List<string> problems, ConvServiceException e)
    {
        if (e.Extensions.TryGetValue("problems", out var listed) && listed is IEnumerable<string> each)
        {
            problems.AddRange(each);
        }
        else
        {
            problems.Add(e.Message);
        }
    }
}
