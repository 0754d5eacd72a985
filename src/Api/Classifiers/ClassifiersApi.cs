using System.Globalization;
using System.Text.Json;
using ConvService.Api.Images;
using ConvService.Api.Models;
using ConvService.Contracts.Classifiers;
using ConvService.Inference.Classifiers;
using ConvService.Inference.Errors;
using ConvService.Inference.Serving;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Repository;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Classifiers;

/// <summary>
/// Classifiers taught from labelled images. A trained classifier is an ordinary model of the repository (ONNX file,
/// model.json with the labels) plus its training report (training.json), so predict, v2 infer, listing, hot reload,
/// replicas and delete work on it through /api/models and /v2.
/// </summary>
public static class ClassifiersApi
{
    public const string ReportFileName = "training.json";

    public static IEndpointRouteBuilder MapClassifiersApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<ClassifiersOptions>>().Value;
        var api = app.MapGroup("/api/classifiers").WithTags("Classifiers");

        api.MapPost("/{name}", Train)
            .WithName("TrainClassifier")
            .WithSummary("Train a classifier from labelled images (multipart: image + label pairs, or archive = zip with a folder per class; features, method, k) and serve it as model {name}. Needs X-Api-Key.")
            .WithDescription("Answers with leave-one-out accuracy, the confusion matrix, time taken and file size. Nothing is stored unless training succeeds, so a failed training leaves the previous version serving.")
            .DisableAntiforgery()
            .Accepts<TrainingFields>("multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxRequestBytes + 1024 * 1024))
            .Produces<ClassifierResponse>(StatusCodes.Status200OK)
            .Produces<ClassifierResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/", ListClassifiers)
            .WithName("ListClassifiers")
            .WithSummary("Every trained classifier in the repository with its training report.");

        api.MapDelete("/{name}", DeleteClassifier)
            .WithName("DeleteClassifier")
            .WithSummary("Stop serving a trained classifier and delete it, as DELETE /api/models/{name} does. Needs X-Api-Key.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{name}", GetClassifier)
            .WithName("GetClassifier")
            .WithSummary("A trained classifier's training report: features, method, labels, leave-one-out accuracy, confusion matrix, times and size.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Ok<ClassifierResponse>, Created<ClassifierResponse>>> Train(
        string name,
        HttpContext http,
        ModelRepository repository,
        ImageCodec codec,
        TrainingSlots slots,
        IOptions<ClassifiersOptions> options)
    {
        var limits = options.Value;
        if (!ModelNames.IsValid(name))
        {
            throw ConvServiceException.InvalidInput("Invalid classifier name", $"'{name}' is not a valid name: use {ModelNames.Rule}.");
        }

        if (http.Request.ContentLength > limits.MaxRequestBytes)
        {
            throw BodyTooLarge(http.Request.ContentLength.Value, limits);
        }

        if (!http.Request.HasFormContentType)
        {
            throw ConvServiceException.InvalidInput("Not a form", "Send multipart/form-data: image parts each followed by a label, or one archive (zip) with a folder per class.");
        }

        var form = await ReadFormAsync(http, limits);
        var settings = TrainingForm.ReadSettings(form) with { Threads = 1 };
        var uploads = await TrainingForm.ReadImagesAsync(form, limits, http.RequestAborted);
        var images = Decode(uploads, codec);
        var network = settings.Features == FeatureKinds.ResNet18 ? FeatureNetworkOf(repository, limits.FeatureModel) : null;

        using var slot = slots.Take();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        budget.CancelAfter(TimeSpan.FromSeconds(limits.TrainingBudgetSeconds));
        TrainedClassifier trained;
        try
        {
            trained = await Task.Run(() => ClassifierTrainer.Train(name, images, settings, network, null, budget.Token), budget.Token);
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            throw new ConvServiceException(
                ErrorKind.DoesNotFit,
                "Training time budget exceeded",
                $"Training stopped after {limits.TrainingBudgetSeconds} s ({ClassifiersOptions.Section}:TrainingBudgetSeconds) and nothing was stored. Send fewer or smaller images, use centroid or knn instead of logistic, fewer iterations, or raise the budget.",
                new Dictionary<string, object?> { ["limit"] = "TrainingBudgetSeconds" });
        }

        var existing = repository.Find(name);
        var version = int.TryParse(existing?.Descriptor?.Version, NumberStyles.Integer, CultureInfo.InvariantCulture, out var previous) ? previous + 1 : 1;
        var descriptor = trained.Descriptor with { Version = version.ToString(CultureInfo.InvariantCulture) };
        var response = Response(name, descriptor.Version, ready: true, trained.Report, DateTimeOffset.UtcNow);
        var files = new Dictionary<string, byte[]>(trained.Files, StringComparer.Ordinal)
        {
            [ReportFileName] = JsonSerializer.SerializeToUtf8Bytes(response, JsonSerializerOptions.Web),
        };
        repository.Install(name, trained.Onnx, ModelDescriptorReader.Serialize(descriptor), files);
        return existing is null ? TypedResults.Created($"/api/classifiers/{name}", response) : TypedResults.Ok(response);
    }

    public static Ok<ClassifierResponse[]> ListClassifiers(ModelRepository repository) =>
        TypedResults.Ok(repository.Models.Select(e => StoredReport(repository, e)).OfType<ClassifierResponse>().ToArray());

    public static Ok<ClassifierResponse> GetClassifier(string name, ModelRepository repository) =>
        TypedResults.Ok(TrainedReport(repository, name));

    public static NoContent DeleteClassifier(string name, ModelRepository repository)
    {
        // Only trained classifiers: other models are deleted through /api/models, where their kind is plain.
        TrainedReport(repository, name);
        repository.Remove(name);
        return TypedResults.NoContent();
    }

    private static ClassifierResponse TrainedReport(ModelRepository repository, string name) =>
        StoredReport(repository, ModelAccess.Entry(repository, name)) ?? throw new ConvServiceException(
            ErrorKind.NotFound,
            "Not a trained classifier",
            $"Model '{name}' was not trained through POST /api/classifiers/{name}, so it has no training report. GET /api/models/{name} describes it.");

    /// <summary>The report stored beside the model, with its current readiness and version; null for models not trained here.</summary>
    private static ClassifierResponse? StoredReport(ModelRepository repository, ModelEntry entry)
    {
        var path = repository.Folder is null ? null : Path.Combine(repository.Folder, entry.Name, ReportFileName);
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        var stored = JsonSerializer.Deserialize<ClassifierResponse>(File.ReadAllBytes(path), JsonSerializerOptions.Web)!;
        return stored with { Ready = entry.Served is not null, Version = entry.Descriptor?.Version ?? stored.Version };
    }

    private static async Task<IFormCollection> ReadFormAsync(HttpContext http, ClassifiersOptions limits)
    {
        // A training request carries many parts, far more than an image request's ConvService:Limits:MaxFormParts.
        var formOptions = new FormOptions
        {
            MultipartBodyLengthLimit = limits.MaxRequestBytes,
            ValueLengthLimit = (int)Math.Min(int.MaxValue, limits.MaxRequestBytes),
            ValueCountLimit = 2 * limits.MaxImages + 32,
        };
        http.Features.Set<IFormFeature>(new FormFeature(http.Request, formOptions));
        return await http.Request.ReadFormAsync(http.RequestAborted);
    }

    /// <summary>Decodes every image; when any fails, refuses with all failures by index and stores nothing.</summary>
    private static LabelledImage[] Decode(IReadOnlyList<LabelledUpload> uploads, ImageCodec codec)
    {
        var images = new LabelledImage[uploads.Count];
        var failures = new List<object>();
        foreach (var upload in uploads)
        {
            try
            {
                images[upload.Index] = new LabelledImage(upload.Label, codec.Decode(upload.Bytes, gray: false).Planes);
            }
            catch (ConvServiceException e)
            {
                failures.Add(new { index = upload.Index, source = upload.Source, label = upload.Label, problem = e.Message });
            }
        }

        if (failures.Count > 0)
        {
            throw new ConvServiceException(
                ErrorKind.DoesNotFit,
                "Images could not be read",
                $"{failures.Count} of {uploads.Count} images could not be decoded (see 'images': index from 0, in the order sent); nothing was trained or stored. Replace or remove them.",
                new Dictionary<string, object?> { ["images"] = failures.ToArray() });
        }

        return images;
    }

    private static FeatureNetwork FeatureNetworkOf(ModelRepository repository, string modelName)
    {
        var entry = repository.Find(modelName);
        var folder = repository.Folder is null ? null : Path.Combine(repository.Folder, modelName);
        var onnx = folder is null ? null : Path.Combine(folder, ModelLoader.ModelFileName);
        if (entry?.Descriptor is null || entry.Served is null || onnx is null || !File.Exists(onnx))
        {
            throw ConvServiceException.DoesNotFit(
                "No feature network",
                $"resnet18 features come from the repository model '{modelName}' ({ClassifiersOptions.Section}:FeatureModel), which is not being served. Use features mr8, lm, s or textons, or restore the model.");
        }

        var graph = entry.Descriptor.Preprocessing.Graph;
        var graphPath = graph is null || !ModelNames.IsValidFileName(graph) ? null : Path.Combine(folder!, graph);
        return new FeatureNetwork(File.ReadAllBytes(onnx), entry.Descriptor, graphPath is not null && File.Exists(graphPath) ? File.ReadAllBytes(graphPath) : null);
    }

    private static ConvServiceException BodyTooLarge(long bytes, ClassifiersOptions limits) => new(
        ErrorKind.OverLimit,
        "Training request too large",
        $"The request is {bytes:N0} bytes; the limit is {limits.MaxRequestBytes:N0} ({ClassifiersOptions.Section}:MaxRequestBytes). Send fewer or smaller images, or raise the limit.",
        new Dictionary<string, object?> { ["limit"] = "MaxRequestBytes" });

    private static ClassifierResponse Response(string name, string version, bool ready, TrainingReport report, DateTimeOffset trainedAt) => new(
        name,
        version,
        ready,
        report.Features,
        report.Method,
        report.K,
        report.Labels,
        report.ImagesPerClass,
        report.ImagesPerClass.Sum(),
        report.FeatureLength,
        report.LeaveOneOutAccuracy,
        report.Confusion,
        new ClassifierTimings(report.FeatureMilliseconds, report.FitMilliseconds, report.TotalMilliseconds),
        report.ModelBytes,
        report.Seed,
        trainedAt,
        $"/api/models/{name}/predict");
}
