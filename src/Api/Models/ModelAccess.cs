using ConvService.Api.Infrastructure;
using ConvService.Inference.Errors;
using ConvService.Inference.Serving.Repository;

namespace ConvService.Api.Models;

/// <summary>Looks models up for the endpoints: 404 for an unknown name, 503 for one that failed to load.</summary>
public static class ModelAccess
{
    public static ModelEntry Entry(ModelRepository repository, string name) =>
        repository.Find(name) ?? throw new ConvServiceException(
            ErrorKind.NotFound,
            "Unknown model",
            $"There is no model named '{name}'. The models are: {string.Join(", ", repository.Models.Select(m => m.Name))}. GET /api/models lists them.",
            new Dictionary<string, object?> { ["models"] = repository.Models.Select(m => m.Name).ToArray() });

    public static ServedModel Ready(ModelRepository repository, string name)
    {
        var entry = Entry(repository, name);
        return entry.Served ?? throw new HttpProblemException(
            StatusCodes.Status503ServiceUnavailable,
            "Model not ready",
            $"Model '{name}' failed to load: {string.Join(" ", entry.Problems)} Fix its folder; it is reloaded when it changes.",
            TimeSpan.FromSeconds(5));
    }
}
