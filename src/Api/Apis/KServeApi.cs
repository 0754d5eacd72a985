using System.Globalization;
using System.Text.Json;
using ConvService.Api.Infrastructure;
using ConvService.Api.Models;
using ConvService.Contracts.KServe;
using ConvService.Inference.Engine;
using ConvService.Inference.Errors;
using ConvService.Inference.Serving.Execution;
using ConvService.Inference.Serving.Repository;

namespace ConvService.Api.Apis;

/// <summary>
/// The KServe / Triton v2 inference protocol (REST, JSON tensors, FP32), so existing clients work unchanged.
/// Errors follow the protocol, <c>{"error": "..."}</c>, not problem details.
/// </summary>
public static class KServeApi
{
    private const string ErrorNote = " Errors are the protocol's {\"error\": \"message\"} object, not problem details.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

        // As everywhere in the service: non-finite values travel as "NaN", "Infinity" and "-Infinity".
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static IEndpointRouteBuilder MapKServeApi(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2").WithTags("KServe v2").AddEndpointFilter(ProtocolErrors);

        v2.MapGet("/", () => TypedResults.Ok(new ServerMetadata("convservice", "1", [])))
            .WithName("V2ServerMetadata").WithSummary("Server metadata." + ErrorNote);
        v2.MapGet("/health/live", () => TypedResults.Ok())
            .WithName("V2Live").WithSummary("200 while the process is up." + ErrorNote);
        v2.MapGet("/health/ready", (ModelRepository repository) => repository.Loaded ? Results.Ok() : Results.StatusCode(StatusCodes.Status400BadRequest))
            .WithName("V2Ready").WithSummary("200 once the model repository has been loaded, 400 before." + ErrorNote);
        v2.MapGet("/models/{name}", Metadata)
            .WithName("V2ModelMetadata").WithSummary("Model name, versions, platform, inputs and outputs (-1 = any batch, or any size of an open dimension)." + ErrorNote)
            .Produces<ModelMetadata>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        v2.MapGet("/models/{name}/ready", (string name, ModelRepository repository) =>
                ModelAccess.Entry(repository, name).Ready ? Results.Ok() : Results.StatusCode(StatusCodes.Status400BadRequest))
            .WithName("V2ModelReady").WithSummary("200 when the model is ready, 400 when it failed to load, 404 when unknown." + ErrorNote);
        v2.MapPost("/models/{name}/infer", Infer)
            .WithName("V2Infer")
            .WithSummary("Run the model on JSON tensors (inputs: [{name, shape, datatype: FP32, data}], one per model input, any size where the model's dimension is -1); batch > 1 allowed; every output in the same form." + ErrorNote)
            .Accepts<InferRequest>("application/json")
            .Produces<InferResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable)
            .Produces<ErrorResponse>(StatusCodes.Status504GatewayTimeout);
        return app;
    }

    public static ModelMetadata Metadata(string name, ModelRepository repository)
    {
        var served = ModelAccess.Ready(repository, name);
        return new ModelMetadata(
            name,
            [served.Descriptor.Version],
            "onnx_onnxv1",
            served.Model.Inputs.Select(i => new TensorMetadata(i.Name, "FP32", [-1, .. i.Shape.Skip(1).Select(d => (long)d)])).ToArray(),
            served.Model.Outputs.Select(o => new TensorMetadata(o.Name, "FP32", [-1, .. o.Shape.Skip(1).Select(d => (long)d)])).ToArray());
    }

    public static async Task<InferResponse> Infer(string name, ModelRepository repository, HttpContext http)
    {
        using var hold = ModelAccess.Hold(repository, name);
        var served = hold.Model;
        InferRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<InferRequest>(http.Request.Body, Json, http.RequestAborted);
        }
        catch (JsonException e)
        {
            throw ConvServiceException.InvalidInput("Malformed JSON", $"The infer request is not valid JSON: {e.Message}");
        }

        var graphInputs = served.Model.Inputs;
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
            var input = inputs.FirstOrDefault(i => i.Name == graphInput.Name)
                ?? throw ConvServiceException.InvalidInput("Unknown input", $"Model '{name}' has no input '{inputs.Select(i => i.Name).Except(graphInputs.Select(g => g.Name)).FirstOrDefault() ?? graphInput.Name}'; its inputs are {described}.");
            if (input.Datatype != "FP32")
            {
                throw ConvServiceException.InvalidInput("Unsupported datatype", $"Input '{input.Name}' has datatype '{input.Datatype}'; this server takes FP32 only.");
            }

            var declared = graphInput.Shape.Skip(1).ToArray();
            if (input.Shape is null || input.Shape.Length != declared.Length + 1 || input.Shape[0] < 1 || (batch > 0 && input.Shape[0] != batch)
                || input.Shape.Skip(1).Where((d, i) => d < 1 || d > int.MaxValue || (declared[i] > 0 && d != declared[i])).Any())
            {
                throw ConvServiceException.InvalidInput("Wrong input shape", $"Input '{input.Name}' has shape [{string.Join(", ", input.Shape ?? [])}]; model '{name}' expects {Expected(graphInput)} with N >= 1 (the same N for every input; -1 = any size).");
            }

            batch = (int)Math.Min(input.Shape[0], int.MaxValue);
            imageShapes[k] = input.Shape.Skip(1).Select(d => (int)d).ToArray();
            var perImage = imageShapes[k].Aggregate(1L, (a, b) => a * b);
            if (perImage > served.Model.Options.MaxElementsPerTensor)
            {
                throw ConvServiceException.InvalidInput("Input too large", $"Input '{input.Name}' has {perImage} values per image, more than the limit of {served.Model.Options.MaxElementsPerTensor} elements per tensor (MaxElementsPerTensor).");
            }

            if (batch > served.Executor.Options.QueueLimit)
            {
                throw ConvServiceException.InvalidInput("Batch too large", $"The batch of {batch} is larger than the model's queue of {served.Executor.Options.QueueLimit}; send at most that many images per request.");
            }

            values[k] = Flatten(input.Data, batch * perImage, input.Name);
        }

        var outputs = served.Model.Outputs;
        var wanted = request.Outputs is { Length: > 0 } asked ? asked.Select(o => o.Name).ToArray() : outputs.Select(o => o.Name).ToArray();
        foreach (var w in wanted)
        {
            if (outputs.All(o => o.Name != w))
            {
                throw ConvServiceException.InvalidInput("Unknown output", $"Model '{name}' has no output '{w}'; its outputs are: {string.Join(", ", outputs.Select(o => o.Name))}.");
            }
        }

        // Each image is queued on its own; the batcher runs it together with whatever else of its shape is waiting.
        var runs = new Task<ImageResult>[batch];
        for (var i = 0; i < batch; i++)
        {
            var image = values.Select((v, k) => v.AsSpan(i * (v.Length / batch), v.Length / batch).ToArray()).ToArray();
            runs[i] = served.Executor.RunAsync(image, imageShapes, http.RequestAborted);
        }

        var results = await Task.WhenAll(runs);
        var tensors = wanted.Select(w =>
        {
            var index = outputs.ToList().FindIndex(o => o.Name == w);
            var dims = results[0].OutputShapes[index].Select(d => (long)d).ToArray();
            var data = results.SelectMany(r => r.Outputs[index]).ToArray();
            return new InferOutputTensor(w, [batch, .. dims], "FP32", data);
        }).ToArray();
        return new InferResponse(name, served.Descriptor.Version, request.Id, tensors);
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

    /// <summary>Turns every refusal under /v2 into the protocol's error object with a matching status.</summary>
    private static async ValueTask<object?> ProtocolErrors(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (EngineExceptionHandler.ToProblem(e) is { } problem)
        {
            var http = context.HttpContext;
            if (EngineExceptionHandler.RetryAfterOf(e) is { } retryAfter)
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            // The protocol reports bad requests, engine limits included, as 400; unknown models stay 404, overload 503, timeout 504.
            var status = problem.Status is 422 or 415 or 413 ? StatusCodes.Status400BadRequest : problem.Status ?? 400;
            return Results.Json(new ErrorResponse(problem.Detail ?? problem.Title ?? "error"), Json, statusCode: status);
        }
    }
}
