using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ConvService.Contracts.Networks;
using ConvService.Inference.Errors;

namespace ConvService.Inference.Networks.Json;

/// <summary>
/// Reading and writing network specs. Reading checks layer "type" values itself first, so an unknown or missing
/// type is reported with the layer's index, name and the list of known types, and rewrites serializer errors so
/// they name the layer too. Every failure is a <see cref="ConvServiceException"/> of kind InvalidInput.
/// </summary>
public static partial class NetworkJson
{
    /// <summary>Options for specs and reports: camelCase, "type" anywhere in a layer, unknown members refused.</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Adds the spec converters and rules to existing options (e.g. the HTTP JSON options).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.AllowOutOfOrderMetadataProperties = true;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new Extent2JsonConverter());
        options.Converters.Add(new PaddingSpecJsonConverter());
        return options;
    }

    public static string Serialize(NetworkSpec spec) => JsonSerializer.Serialize(spec, Options);

    public static NetworkSpec ReadSpec(string json) => Read<NetworkSpec>(JsonBytes(json));

    public static NetworkSpec ReadSpec(ReadOnlyMemory<byte> utf8) => Read<NetworkSpec>(utf8);

    public static NetworkCompareRequest ReadCompareRequest(ReadOnlyMemory<byte> utf8) => Read<NetworkCompareRequest>(utf8);

    private static T Read<T>(ReadOnlyMemory<byte> utf8)
        where T : class
    {
        // JsonDocument checks UTF-8 only when a string is read, and then throws InvalidOperationException, far from
        // here (found by fuzzing: an invalid byte in a layer's type, name or a member name was a 500).
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span))
        {
            throw ConvServiceException.InvalidInput("Malformed JSON", "The body is not valid UTF-8. Fix: send the spec as UTF-8 encoded JSON.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw ConvServiceException.InvalidInput("Malformed JSON",
                $"The body is not valid JSON: {e.Message} Fix: send a JSON object such as {{\"input\": [3, 32, 32], \"layers\": [{{\"type\": \"conv\", \"filters\": 10, \"size\": 5}}]}}.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ConvServiceException.InvalidInput("Malformed JSON", "The body must be a JSON object. Fix: send {\"input\": [...], \"layers\": [...]}.");
            }

            CheckTypes(document.RootElement, "$");
            try
            {
                return document.Deserialize<T>(Options)
                    ?? throw ConvServiceException.InvalidInput("Malformed JSON", "The body is null. Fix: send a JSON object.");
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
            {
                var path = (e as JsonException)?.Path ?? "$";
                throw Rewrite(document.RootElement, path, e.Message);
            }
        }
    }

    private static byte[] JsonBytes(string json) => System.Text.Encoding.UTF8.GetBytes(json);

    /// <summary>Finds every layer array ("layers", each branch) and checks each element's "type" before binding.</summary>
    private static void CheckTypes(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in element.EnumerateObject())
            {
                var childPath = $"{path}.{member.Name}";
                if (member.Value.ValueKind == JsonValueKind.Array && member.NameEquals("layers"))
                {
                    CheckLayers(member.Value, childPath);
                }
                else if (member.Value.ValueKind == JsonValueKind.Array && member.NameEquals("specs"))
                {
                    var i = 0;
                    foreach (var spec in member.Value.EnumerateArray())
                    {
                        CheckTypes(spec, $"{childPath}[{i++}]");
                    }
                }
            }
        }
    }

    private static void CheckLayers(JsonElement layers, string path)
    {
        var i = 0;
        foreach (var layer in layers.EnumerateArray())
        {
            var layerPath = $"{path}[{i}]";
            if (layer.ValueKind != JsonValueKind.Object)
            {
                throw Refuse(layerPath, DefaultName(layers, i, layer), "Malformed layer",
                    $"a layer must be a JSON object with a \"type\", not {Describe(layer.ValueKind)}. Fix: e.g. {{\"type\": \"relu\"}}.");
            }

            var type = TypeOf(layer);
            if (type is null)
            {
                throw Refuse(layerPath, NameOf(layer) ?? "(unnamed)", "Missing layer type",
                    $"the layer has no string \"type\". Fix: add \"type\" with one of {KnownTypes}.");
            }

            if (!LayerSpec.TypeNames.Contains(type, StringComparer.Ordinal))
            {
                throw Refuse(layerPath, DefaultName(layers, i, layer), "Unknown layer type",
                    $"unknown layer type \"{type}\". Fix: use one of {KnownTypes} (lower case).");
            }

            if (layer.TryGetProperty("branches", out var branches) && branches.ValueKind == JsonValueKind.Array)
            {
                var b = 0;
                foreach (var branch in branches.EnumerateArray())
                {
                    if (branch.ValueKind == JsonValueKind.Array)
                    {
                        CheckLayers(branch, $"{layerPath}.branches[{b}]");
                    }

                    b++;
                }
            }

            i++;
        }
    }

    private static ConvServiceException Rewrite(JsonElement root, string path, string message)
    {
        var layer = LayerPath().Match(path);
        var cleaned = Plain(message);
        if (!layer.Success)
        {
            return ConvServiceException.InvalidInput("Malformed JSON",
                $"The JSON body could not be read at {path}: {cleaned} Fix: \"input\" is [channels, height, width] and \"layers\" a list of layer objects.");
        }

        var name = NameAt(root, layer.Value) ?? "(unnamed)";
        return Refuse(layer.Value, name, "Malformed layer",
            $"{cleaned} Fix: check the member at {path} against the layer's documented fields (whole numbers for sizes, true/false for flags).");
    }

    private static ConvServiceException Refuse(string jsonPath, string name, string title, string detail)
    {
        var path = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;
        return new ConvServiceException(ErrorKind.InvalidInput, title, $"Layer {path} ('{name}'): {detail}", new Dictionary<string, object?>
        {
            ["layerIndex"] = IndexOf(path),
            ["layerPath"] = path,
            ["layerName"] = name,
        });
    }

    /// <summary>"layers[5].branches[1][0]" to "5.1.0", the report's index form.</summary>
    private static string IndexOf(string path) =>
        string.Join('.', IndexNumbers().Matches(path.Contains("layers", StringComparison.Ordinal) ? path[path.IndexOf("layers", StringComparison.Ordinal)..] : path)
            .Select(m => m.Groups[1].Value));

    private static string? NameAt(JsonElement root, string path)
    {
        var current = root;
        var parent = default(JsonElement);
        var index = -1;
        foreach (Match step in PathSteps().Matches(path))
        {
            if (step.Groups["member"].Success)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step.Groups["member"].Value, out current))
                {
                    return null;
                }
            }
            else
            {
                index = int.Parse(step.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (current.ValueKind != JsonValueKind.Array || index >= current.GetArrayLength())
                {
                    return null;
                }

                parent = current;
                current = current[index];
            }
        }

        return current.ValueKind == JsonValueKind.Object && index >= 0 ? DefaultName(parent, index, current) : null;
    }

    /// <summary>Serializer messages name CLR types; say what the caller should send instead.</summary>
    private static string Plain(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var text = cut >= 0 ? message[..cut] : message;
        text = text.Replace("System.Collections.Generic.IReadOnlyList`1[System.Int32]", "a list of whole numbers", StringComparison.Ordinal)
            .Replace("System.Int32", "a whole number", StringComparison.Ordinal)
            .Replace("System.Boolean", "true or false", StringComparison.Ordinal)
            .Replace("System.Double", "a number", StringComparison.Ordinal)
            .Replace("System.String", "a string", StringComparison.Ordinal)
            .Replace(" contained in type ", " of ", StringComparison.Ordinal)
            .Replace("deserialization for type ", "reading of ", StringComparison.Ordinal);
        return ClrLayerType().Replace(text, m => $"a '{m.Groups[1].Value.ToLowerInvariant()}' layer");
    }

    /// <summary>The name the report would give: the explicit one, or type + count of that type so far in the list.</summary>
    private static string DefaultName(JsonElement layers, int index, JsonElement layer)
    {
        if (layer.ValueKind == JsonValueKind.Object && NameOf(layer) is { } explicitName)
        {
            return explicitName;
        }

        var type = layer.ValueKind == JsonValueKind.Object ? TypeOf(layer) : null;
        if (type is null)
        {
            return "(unnamed)";
        }

        var count = layers.EnumerateArray().Take(index + 1).Count(l => l.ValueKind == JsonValueKind.Object && TypeOf(l) == type);
        return $"{type}{count}";
    }

    private static string? TypeOf(JsonElement layer) =>
        layer.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;

    private static string? NameOf(JsonElement layer) =>
        layer.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(n.GetString()) ? n.GetString() : null;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => "true/false",
    };

    private static string KnownTypes => string.Join(", ", LayerSpec.TypeNames);

    [GeneratedRegex(@"^\$(\.specs\[\d+\])?\.layers\[\d+\](\.branches\[\d+\]\[\d+\])*")]
    private static partial Regex LayerPath();

    [GeneratedRegex(@"'?ConvService\.Contracts\.Networks\.(\w+?)LayerSpec'?")]
    private static partial Regex ClrLayerType();

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex IndexNumbers();

    [GeneratedRegex(@"\.(?<member>[A-Za-z0-9_]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathSteps();
}
