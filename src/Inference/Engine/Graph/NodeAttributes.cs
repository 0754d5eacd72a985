using ConvService.Inference.Onnx.Proto;

namespace ConvService.Inference.Engine.Graph;

/// <summary>Typed, defaulted access to a node's ONNX attributes.</summary>
internal sealed class NodeAttributes
{
    private readonly Dictionary<string, AttributeProto> byName;

    public NodeAttributes(IEnumerable<AttributeProto> attributes)
    {
        byName = [];
        foreach (var a in attributes)
        {
            byName[a.Name] = a;
        }
    }

    public static NodeAttributes Empty { get; } = new([]);

    public bool Has(string name) => byName.ContainsKey(name);

    public long Int(string name, long fallback) => byName.TryGetValue(name, out var a) ? a.I : fallback;

    public float Float(string name, float fallback) => byName.TryGetValue(name, out var a) ? a.F : fallback;

    public string String(string name, string fallback) => byName.TryGetValue(name, out var a) ? a.S.ToStringUtf8() : fallback;

    public long[]? Ints(string name) => byName.TryGetValue(name, out var a) ? [.. a.Ints] : null;

    public float[]? Floats(string name) => byName.TryGetValue(name, out var a) ? [.. a.Floats] : null;

    public TensorProto? Tensor(string name) => byName.TryGetValue(name, out var a) ? a.T : null;
}
