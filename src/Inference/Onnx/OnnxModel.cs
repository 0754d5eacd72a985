using ConvService.Inference.Engine;
using ConvService.Inference.Engine.Graph;

namespace ConvService.Inference.Onnx;

/// <summary>
/// The entry point: an ONNX file in, a <see cref="CompiledModel"/> out (validated, BatchNormalization folded,
/// activations fused, weights packed, a plan built). Every refusal is a ConvServiceException listing all problems.
/// </summary>
public static class OnnxModel
{
    public static CompiledModel Load(ReadOnlySpan<byte> bytes, EngineOptions? options = null)
    {
        options ??= EngineOptions.Default;
        var graph = OnnxImporter.Import(bytes, options);
        GraphFusion.Apply(graph);
        return new CompiledModel(graph, options);
    }

    public static CompiledModel Load(Stream stream, EngineOptions? options = null)
    {
        options ??= EngineOptions.Default;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > options.MaxModelBytes)
            {
                throw Errors.ConvServiceException.OverLimit(ModelProblems.Title, $"The model is larger than the limit of {options.MaxModelBytes} bytes. Use a smaller model or raise the limit.");
            }

            buffer.Write(chunk, 0, read);
        }

        return Load(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), options);
    }

    /// <summary>Loads a model file from disk (a path the service chose, never one named inside a model).</summary>
    public static CompiledModel LoadFile(string path, EngineOptions? options = null)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, options);
    }
}
