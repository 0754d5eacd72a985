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

    /// <summary>
    /// The current version of a model, held for one request so that replacing or deleting it meanwhile does not
    /// fail the request: it finishes on this version. A version retired between the look-up and the hold is looked
    /// up again, so new requests go to the new version.
    /// </summary>
    public static ModelHold Hold(ModelRepository repository, string name)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (Ready(repository, name).TryHold() is { } hold)
            {
                return hold;
            }
        }

        throw new HttpProblemException(
            StatusCodes.Status503ServiceUnavailable,
            "Model changing",
            $"Model '{name}' was replaced three times while this request was being accepted. Retry in a moment.",
            TimeSpan.FromSeconds(1));
    }

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
