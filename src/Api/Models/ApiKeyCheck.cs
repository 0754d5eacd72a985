using System.Security.Cryptography;
using System.Text;
using ConvService.Api.Infrastructure;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Models;

/// <summary>Guards model uploads, deletions and classifier training with the configured key (header X-Api-Key).</summary>
public static class ApiKeyCheck
{
    public const string Header = "X-Api-Key";

    /// <summary>
    /// Checks the key of every model change (PUT or DELETE under /api/models, POST under /api/classifiers) before anything else: before routing
    /// refuses a content type and before the body, the name or the file are looked at, so an unauthenticated
    /// caller learns nothing about them.
    /// </summary>
    public static WebApplication UseApiKeyCheck(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (ChangesAModel(http.Request))
            {
                Demand(http, http.RequestServices.GetRequiredService<IOptions<ModelsOptions>>().Value);
            }

            await next(http);
        });
        return app;
    }

    // Training a classifier writes a model too, so it needs the same key.
    private static bool ChangesAModel(HttpRequest request) =>
        ((HttpMethods.IsPut(request.Method) || HttpMethods.IsDelete(request.Method)) && request.Path.StartsWithSegments("/api/models"))
        || ((HttpMethods.IsPost(request.Method) || HttpMethods.IsDelete(request.Method)) && request.Path.StartsWithSegments("/api/classifiers"));

    public static void Demand(HttpContext http, ModelsOptions options)
    {
        if (string.IsNullOrEmpty(options.ApiKey))
        {
            throw new HttpProblemException(
                StatusCodes.Status403Forbidden,
                "Model changes are disabled",
                $"This service has no API key configured, so models cannot be uploaded or deleted. Set {ModelsOptions.Section}:ApiKey to enable it.");
        }

        if (!http.Request.Headers.TryGetValue(Header, out var sent) || string.IsNullOrEmpty(sent.ToString()))
        {
            throw new HttpProblemException(
                StatusCodes.Status401Unauthorized,
                "API key required",
                $"Send the API key in the {Header} header to upload or delete models.");
        }

        // Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.ApiKey));
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(sent.ToString()));
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            throw new HttpProblemException(StatusCodes.Status403Forbidden, "Wrong API key", $"The {Header} header does not match the configured key.");
        }
    }
}
