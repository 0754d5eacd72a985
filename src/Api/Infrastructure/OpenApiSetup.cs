namespace ConvService.Api.Infrastructure;

/// <summary>The OpenAPI document served at <c>/openapi/v1.json</c> and shown by Swagger UI.</summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddOpenApiDocument(this IServiceCollection services) =>
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "ConvService";
            document.Info.Version = "v1";
            document.Info.Description =
                "A convolutional neural network workbench over HTTP: image filtering with named and custom kernels, " +
                "filter banks, the arithmetic of convolutional networks, and a model repository (predict, embed, activation maps) " +
                "also served over the KServe/Triton v2 inference protocol. Every /api error is an RFC 9457 problem details body; " +
                "/v2 errors are the protocol's {\"error\": \"message\"} object.";
            return Task.CompletedTask;
        }));
}
