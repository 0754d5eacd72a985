using System.Text.Json;
using ConvService.Contracts.KServe;
using ConvService.Inference.Engine;
using ConvService.Inference.Errors;

namespace ConvService.Api.KServe;

/// <summary>
/// Reads and checks a v2 infer request against a model's inputs and outputs, apart from HTTP so it can be tested
/// and fuzzed alone. Every refusal is a <see cref="ConvServiceException"/> of kind BadRequest.
/// </summary>
public static class InferRequestReader
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

        // As everywhere in the service: non-finite values travel as "NaN", "Infinity" and "-Infinity".
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<InferInputs> ReadAsync(
        Stream body, string name, IReadOnlyList<TensorInfo> graphInputs, IReadOnlyList<TensorInfo> outputs,
        long maxElementsPerTensor, int queueLimit, CancellationToken cancellationToken)
    {
        // Read whole (Kestrel bounds the body) so the UTF-8 is checked once up front: the reader checks it only in
        // the strings it reads, and the raw text of a bad data element is read later, for the error message.
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellationToken);
        if (!System.Text.Unicode.Utf8.IsValid(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
        {
            throw ConvServiceException.InvalidInput("Malformed JSON", "The infer request is not valid UTF-8: send UTF-8 encoded JSON.");
        }

        InferRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<InferRequest>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Json);
        }
        catch (JsonException e)
        {
            throw ConvServiceException.InvalidInput("Malformed JSON", $"The infer request is not valid JSON: {e.Message}");
        }

        return Check(request, name, graphInputs, outputs, maxElementsPerTensor, queueLimit);
    }

    private static InferInputs Check(
        InferRequest? request, string name, IReadOnlyList<TensorInfo> graphInputs, IReadOnlyList<TensorInfo> outputs,
        long maxElementsPerTensor, int queueLimit)
    {
        string Expected(TensorInfo t) => $"[N, {string.Join(", ", t.Shape.Skip(1))}]";
        var described = string.Join(", ", graphInputs.Select(i => $"'{i.Name}' of shape {Expected(i)}"));
        if (request?.Inputs is not { } inputs || inputs.Length != graphInputs.Count)
        {
            throw ConvServiceException.InvalidInput("Wrong inputs", $"Model '{name}' takes {graphInputs.Count} input(s): {described}, datatype FP32 (-1 = any size).");
        }

        // Every input, by name, with the same batch N first; open dimensions (-1) take any size the model accepts.
        var batch = -1;
        var values = new float[graphInputs.Count][];
        var imageShapes = new int[graphInputs.Count][];
        for (var k = 0; k < graphInputs.Count; k++)
        {
            var graphInput = graphInputs[k];
            var input = inputs.FirstOrDefault(i => i?.Name == graphInput.Name)
                ?? throw ConvServiceException.InvalidInput("Unknown input", $"Model '{name}' has no input '{inputs.Select(i => i?.Name).Except(graphInputs.Select(g => g.Name)).FirstOrDefault() ?? graphInput.Name}'; its inputs are {described}.");
            if (input.Datatype != "FP32")
            {
                throw ConvServiceException.InvalidInput("Unsupported datatype", $"Input '{input.Name}' has datatype '{input.Datatype}'; this server takes FP32 only.");
            }

            var declared = graphInput.Shape.Skip(1).ToArray();
            if (input.Shape is null || input.Shape.Length != declared.Length + 1 || input.Shape[0] < 1 || (batch > 0 && input.Shape[0] != batch)
                || input.Shape.Skip(1).Where((d, i) => d < 0 || d > int.MaxValue || (declared[i] >= 0 && d != declared[i])).Any())
            {
                // A zero image dimension is an empty tensor, which the engine runs where the model's operators allow it.
                throw ConvServiceException.InvalidInput("Wrong input shape", $"Input '{input.Name}' has shape [{string.Join(", ", input.Shape ?? [])}]; model '{name}' expects {Expected(graphInput)} with N >= 1 (the same N for every input; -1 = any size, 0 included).");
            }

            batch = (int)Math.Min(input.Shape[0], int.MaxValue);
            imageShapes[k] = input.Shape.Skip(1).Select(d => (int)d).ToArray();

            // Checked: enough open dimensions near int.MaxValue overflow a long.
            long perImage;
            try
            {
                perImage = imageShapes[k].Aggregate(1L, (a, b) => checked(a * b));
            }
            catch (OverflowException)
            {
                perImage = long.MaxValue;
            }

            if (perImage > maxElementsPerTensor)
            {
                throw ConvServiceException.InvalidInput("Input too large", $"Input '{input.Name}' has {(perImage == long.MaxValue ? "more than 2^63" : perImage.ToString(System.Globalization.CultureInfo.InvariantCulture))} values per image, more than the limit of {maxElementsPerTensor} elements per tensor (MaxElementsPerTensor).");
            }

            if (batch > queueLimit)
            {
                throw ConvServiceException.InvalidInput("Batch too large", $"The batch of {batch} is larger than the model's queue of {queueLimit}; send at most that many images per request.");
            }

            values[k] = Flatten(input.Data, batch * perImage, input.Name);
        }

        var wanted = request.Outputs is { Length: > 0 } asked ? asked.Select(o => o?.Name).ToArray() : outputs.Select(o => o.Name).ToArray();
        foreach (var w in wanted)
        {
            if (outputs.All(o => o.Name != w))
            {
                throw ConvServiceException.InvalidInput("Unknown output", $"Model '{name}' has no output '{w}'; its outputs are: {string.Join(", ", outputs.Select(o => o.Name))}.");
            }
        }

        return new InferInputs(request.Id, batch, values, imageShapes, wanted!);
    }

    /// <summary>Row-major data may come flat or nested to any depth; either way it must hold exactly the shape's count.</summary>
    private static float[] Flatten(JsonElement? data, long count, string inputName)
    {
        if (data is not { ValueKind: JsonValueKind.Array } root)
        {
            throw ConvServiceException.InvalidInput("No data", $"Input '{inputName}' needs a 'data' array of {count} numbers (flat or nested, row-major).");
        }

        var values = new List<float>((int)Math.Min(count, 1 << 24));
        var stack = new Stack<JsonElement.ArrayEnumerator>();
        stack.Push(root.EnumerateArray());
        while (stack.Count > 0)
        {
            var items = stack.Pop();
            while (items.MoveNext())
            {
                var item = items.Current;
                if (item.ValueKind == JsonValueKind.Array)
                {
                    stack.Push(items);
                    items = item.EnumerateArray();
                    continue;
                }

                if (item.ValueKind != JsonValueKind.Number || !item.TryGetSingle(out var v) || !float.IsFinite(v))
                {
                    throw ConvServiceException.InvalidInput("Invalid data", $"Input '{inputName}' data holds {item.GetRawText()}, which is not a finite FP32 number.");
                }

                if (values.Count == count)
                {
                    throw ConvServiceException.InvalidInput("Wrong data length", $"Input '{inputName}' has more than the {count} values its shape needs.");
                }

                values.Add(v);
            }
        }

        if (values.Count != count)
        {
            throw ConvServiceException.InvalidInput("Wrong data length", $"Input '{inputName}' has {values.Count} values but its shape needs {count}.");
        }

        return [.. values];
    }
}
