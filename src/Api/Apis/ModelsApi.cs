using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ConvService.Api.Images;
using ConvService.Api.Infrastructure;
using ConvService.Api.Models;
using ConvService.Api.Observability;
using ConvService.Contracts.Models;
using ConvService.Inference.Errors;
using ConvService.Inference.Serving;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Preprocessing;
using ConvService.Inference.Serving.Repository;
using ConvService.Inference.Visualization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Serilog;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ConvService.Api.Apis;

/// <summary>The model repository and inference on its models: list, describe, upload, delete, predict, embed, activations.</summary>
public static class ModelsApi
{
    private const string StagesDescription =
        "The Server-Timing header splits the time in milliseconds: receive (body and multipart form), read (the upload copied out), "
        + "decode (an opaque image is resized as it is decoded), preprocess (resize, normalisation), queue (waiting for a worker), engine (the model run), "
        + "handoff (to and from the worker), json, total.";

    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<ModelsOptions>>().Value;
        var api = app.MapGroup("/api/models").WithTags("Models");

        api.MapGet("/", ListModels)
            .WithName("ListModels")
            .WithSummary("Every model in the repository: name, task, input, parameters, version, and whether it is ready.");

        api.MapGet("/{name}", GetModel)
            .WithName("GetModel")
            .WithSummary("One model: inputs, outputs, every layer with its output shape and parameters, labels, preprocessing.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        // Model files are far larger than images, so uploads get their own body limit.
        var uploadLimit = options.MaxModelBytes + 1024 * 1024;
        api.MapPut("/{name}", PutModel)
            .WithName("PutModel")
            .WithSummary("Upload or replace a model (multipart: model = ONNX file, optional config = model.json). Needs X-Api-Key.")
            .WithDescription("The upload is validated completely (parse, operators, shapes, descriptor) before anything is replaced; a refused upload leaves the old model serving.")
            .DisableAntiforgery()
            .Accepts<UploadForm>("multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(uploadLimit))
            .WithFormOptions(multipartBodyLengthLimit: uploadLimit, valueLengthLimit: (int)Math.Min(int.MaxValue, uploadLimit))
            .Produces<ModelDetails>(StatusCodes.Status200OK)
            .Produces<ModelDetails>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);

        api.MapDelete("/{name}", DeleteModel)
            .WithName("DeleteModel")
            .WithSummary("Stop serving a model and delete its folder. Needs X-Api-Key.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{name}/predict", Predict)
            .WithName("Predict")
            .WithSummary("Classify an uploaded image (multipart: image, top = 5). Drawn digits of any size and colour work for lenet5-mnist.")
            .WithDescription(StagesDescription)
            .DisableAntiforgery()
            .Accepts<PredictForm>("multipart/form-data")
            .Produces<PredictResponse>(StatusCodes.Status200OK)
            .WithInferenceProblems();

        api.MapPost("/{name}/embed", Embed)
            .WithName("Embed")
            .WithSummary("The model's output for an uploaded image as a feature vector (multipart: image).")
            .WithDescription(StagesDescription)
            .DisableAntiforgery()
            .Accepts<PredictForm>("multipart/form-data")
            .Produces<EmbedResponse>(StatusCodes.Status200OK)
            .WithInferenceProblems();

        api.MapGet("/{name}/activations", ListLayers)
            .WithName("ListActivationLayers")
            .WithSummary("The layers whose activations can be asked for, with their output shapes.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{name}/activations", Activations)
            .WithName("Activations")
            .WithSummary("One layer's activation maps for an uploaded image: a PNG grid of tiles (each map stretched to 0..255; layer and shape in X-Layer-Name and X-Layer-Shape) or json.")
            .DisableAntiforgery()
            .Accepts<ActivationsForm>("multipart/form-data")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .Produces<ActivationsResponse>(StatusCodes.Status200OK, "application/json")
            .WithInferenceProblems();

        return app;
    }

    public static Ok<ModelSummary[]> ListModels(ModelRepository repository) =>
        TypedResults.Ok(repository.Models.Select(ModelViews.Summary).ToArray());

    public static Ok<ModelDetails> GetModel(string name, ModelRepository repository) =>
        TypedResults.Ok(ModelViews.Details(ModelAccess.Entry(repository, name)));

    public static async Task<IResult> PutModel(
        string name,
        [FromForm] UploadForm form,
        ModelRepository repository,
        IOptions<ModelsOptions> options,
        CancellationToken cancellationToken)
    {
        if (!ModelNames.IsValid(name))
        {
            throw ConvServiceException.InvalidInput("Invalid model name", $"'{name}' is not a valid model name: use {ModelNames.Rule}.");
        }

        if (form.Model is null || form.Model.Length == 0)
        {
            throw ConvServiceException.InvalidInput("No model file", "Attach the ONNX file as the multipart field 'model', e.g. curl -F model=@model.onnx.");
        }

        var limit = options.Value.MaxModelBytes;
        if (form.Model.Length > limit)
        {
            throw ConvServiceException.OverLimit("Model too large", $"The model file is {form.Model.Length:N0} bytes; the limit is {limit:N0} ({ModelsOptions.Section}:MaxModelBytes). Upload a smaller model or raise the limit.");
        }

        var onnx = await ReadAsync(form.Model, cancellationToken);
        byte[]? config = null;
        if (form.Config is not null)
        {
            if (form.Config.Length > 1024 * 1024)
            {
                throw ConvServiceException.OverLimit("Config too large", "model.json is larger than 1 MB; a descriptor is a few hundred bytes plus labels.");
            }

            config = await ReadAsync(form.Config, cancellationToken);
        }

        var existed = repository.Find(name) is not null;
        var entry = repository.Install(name, onnx, config);
        var details = ModelViews.Details(entry);
        return existed ? TypedResults.Ok(details) : TypedResults.Created($"/api/models/{name}", details);
    }

    public static IResult DeleteModel(string name, ModelRepository repository)
    {
        if (!repository.Remove(name))
        {
            ModelAccess.Entry(repository, name);
        }

        return TypedResults.NoContent();
    }

    public static async Task<IResult> Predict(
        string name,
        [FromForm] PredictForm form,
        ModelRepository repository,
        ImageCodec codec,
        IDiagnosticContext diagnostics,
        HttpContext http)
    {
        var stages = RequestStages.Begin(http);
        using var hold = ModelAccess.Hold(repository, name);
        var served = hold.Model;
        if (served.Descriptor.Task != ModelTasks.Classify)
        {
            throw ConvServiceException.DoesNotFit("Not a classifier", $"Model '{name}' is an {served.Descriptor.Task} model: POST to /api/models/{name}/embed instead.");
        }

        var top = ParseTop(form.Top);
        var clock = Stopwatch.StartNew();
        var image = await PrepareAsync(served, codec, form.Image, stages, http.RequestAborted);
        var result = await served.Executor.RunAsync([image.Tensor], [image.Shape], http.RequestAborted);
        served.Preprocessor.Return(image.Tensor);
        stages.EndExecutor(result.Timing);
        var probabilities = Probabilities.From(result.Outputs[0]);
        var labels = served.Descriptor.Labels;
        var predictions = Enumerable.Range(0, probabilities.Length)
            .OrderByDescending(i => probabilities[i])
            .Take(top)
            .Select(i => new Prediction(i < labels.Count ? labels[i] : i.ToString(CultureInfo.InvariantCulture), i, probabilities[i]))
            .ToArray();
        return Json(http, diagnostics, stages, name, new PredictResponse(name, served.Descriptor.Version, predictions, clock.Elapsed.TotalMilliseconds));
    }

    public static async Task<IResult> Embed(
        string name,
        [FromForm] PredictForm form,
        ModelRepository repository,
        ImageCodec codec,
        IDiagnosticContext diagnostics,
        HttpContext http)
    {
        var stages = RequestStages.Begin(http);
        using var hold = ModelAccess.Hold(repository, name);
        var served = hold.Model;
        var clock = Stopwatch.StartNew();
        var image = await PrepareAsync(served, codec, form.Image, stages, http.RequestAborted);
        var result = await served.Executor.RunAsync([image.Tensor], [image.Shape], http.RequestAborted);
        served.Preprocessor.Return(image.Tensor);
        stages.EndExecutor(result.Timing);
        var features = result.Outputs[0];
        return Json(http, diagnostics, stages, name, new EmbedResponse(name, served.Descriptor.Version, features.Length, features, clock.Elapsed.TotalMilliseconds));
    }

    /// <summary>
    /// The answer serialised up front, with the service's JSON options, so its time is known when the Server-Timing
    /// header goes out with the response's first bytes.
    /// </summary>
    private static IResult Json<T>(HttpContext http, IDiagnosticContext diagnostics, RequestStages stages, string model, T response)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
        var body = new ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = new Utf8JsonWriter(body))
        {
            JsonSerializer.Serialize(writer, response, options);
        }

        stages.End("json");
        stages.Report(http, diagnostics, model);
        return TypedResults.Bytes(body.WrittenMemory, "application/json; charset=utf-8");
    }

    public static Ok<LayerListResponse> ListLayers(string name, ModelRepository repository) =>
        TypedResults.Ok(new LayerListResponse(name, ModelViews.Layers(ModelAccess.Ready(repository, name).Model)));

    public static async Task<IResult> Activations(
        string name,
        [FromForm] ActivationsForm form,
        ModelRepository repository,
        ImageCodec codec,
        IDiagnosticContext diagnostics,
        HttpContext http)
    {
        var stages = RequestStages.Begin(http);
        using var hold = ModelAccess.Hold(repository, name);
        var served = hold.Model;
        var layerNames = served.Model.Layers.Select(l => l.Name).ToArray();
        if (string.IsNullOrWhiteSpace(form.Layer))
        {
            throw new ConvServiceException(
                ErrorKind.InvalidInput,
                "No layer",
                $"Name the layer in the form field 'layer'. Model '{name}' has: {string.Join(", ", layerNames)}.",
                new Dictionary<string, object?> { ["layers"] = layerNames });
        }

        var format = (form.Format ?? "png").Trim().ToLowerInvariant();
        if (format is not ("png" or "json"))
        {
            throw ConvServiceException.InvalidInput("Unknown format", $"'format' is '{form.Format}'; use png (a grid of activation maps) or json (the values).");
        }

        var layer = served.FindLayer(form.Layer) ?? throw new ConvServiceException(
            ErrorKind.NotFound,
            "Unknown layer",
            $"Model '{name}' has no layer named '{form.Layer}'. Use one of: {string.Join(", ", layerNames)}.",
            new Dictionary<string, object?> { ["layers"] = layerNames });

        var image = await PrepareAsync(served, codec, form.Image, stages, http.RequestAborted);
        var result = await served.Executor.ActivationsAsync(form.Layer, image.Tensor, image.Shape, http.RequestAborted);
        served.Preprocessor.Return(image.Tensor);
        stages.EndExecutor(result.Timing);
        var shape = result.Shape.ToArray();
        var shapeText = string.Join("x", shape);
        http.Response.Headers["X-Layer-Name"] = layer.Name;
        http.Response.Headers["X-Layer-Shape"] = shapeText;
        if (format == "json")
        {
            var (min, max) = Range(result.Values);
            return Json(http, diagnostics, stages, name, new ActivationsResponse(name, layer.Name, shape, min, max, result.Values));
        }

        // [1, C, H, W] gives C tiles of H x W; lower ranks give one row per map.
        var tileHeight = shape.Length >= 4 ? shape[^2] : 1;
        var tileWidth = shape.Length >= 2 ? shape[^1] : 1;
        var count = result.Values.Length / (tileHeight * tileWidth);
        var maps = Enumerable.Range(0, count).Select(i => new ReadOnlyMemory<float>(result.Values, i * tileHeight * tileWidth, tileHeight * tileWidth)).ToArray();
        var grid = TileGrid.Render(maps, tileWidth, tileHeight);
        var layout = TileGrid.Layout(count, tileWidth, tileHeight);
        http.Response.Headers["X-Tile-Grid"] = $"{layout.Columns}x{layout.Rows}";
        stages.End("render");
        var png = codec.Encode(grid, ImageOutputFormat.Png);
        stages.End("encode");
        stages.Report(http, diagnostics, name);
        return TypedResults.File(png, "image/png");
    }

    private static RouteHandlerBuilder WithInferenceProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
        .ProducesProblem(StatusCodes.Status504GatewayTimeout);

    /// <summary>The upload as the model's input: resized to the descriptor's size, or at its own size when the model takes any ("resize": "none").</summary>
    private static async Task<PreparedImage> PrepareAsync(ServedModel served, ImageCodec codec, IFormFile? image, RequestStages? stages, CancellationToken cancellationToken)
    {
        if (!ModelDescriptorReader.IsImageModel(served.Model))
        {
            throw ConvServiceException.DoesNotFit(
                "Not an image model",
                $"Model '{served.Name}' takes {string.Join(", ", served.Model.Inputs.Select(i => $"'{i.Name}' [{string.Join(", ", i.Shape)}]"))}, not one [N, C, H, W] image: send tensors to /v2/models/{served.Name}/infer.");
        }

        using var upload = await Uploads.ReadRentedAsync(image, "image", cancellationToken);
        stages?.End("read");

        // Awaited, not waited on: the decoder runs asynchronously, and blocking a pool thread on it starves the pool
        // under concurrent requests. An opaque image goes straight into the model's resampler, row by row.
        using var decoded = await codec.DecodeForModelAsync(upload.Bytes, served.Preprocessor, cancellationToken);
        stages?.End("decode");
        var prepared = decoded.Prepare(served.Preprocessor);
        stages?.End("preprocess");
        return prepared;
    }

    private static int ParseTop(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 5;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var top) || top < 1 || top > 1000)
        {
            throw ConvServiceException.InvalidInput("Invalid top", $"'top' is '{text}'; give a whole number from 1 to 1000 (the number of classes to return).");
        }

        return top;
    }

    private static async Task<byte[]> ReadAsync(IFormFile file, CancellationToken cancellationToken)
    {
        var bytes = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    private static (float Min, float Max) Range(float[] values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in values)
        {
            min = MathF.Min(min, v);
            max = MathF.Max(max, v);
        }

        return values.Length == 0 ? (0, 0) : (min, max);
    }
}
