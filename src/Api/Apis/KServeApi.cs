using System.Globalization;
using System.Text.Json;
using ConvService.Api.Infrastructure;
using ConvService.Api.KServe;
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

    private static readonly JsonSerializerOptions Json = InferRequestReader.Json;

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
        var request = await InferRequestReader.ReadAsync(
            http.Request.Body, name, served.Model.Inputs, served.Model.Outputs,
            served.Model.Options.MaxElementsPerTensor, served.Executor.Options.QueueLimit, http.RequestAborted);
        var (batch, values, imageShapes, wanted) = (request.Batch, request.Values, request.ImageShapes, request.Outputs);
        var outputs = served.Model.Outputs;

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
