using System.Text.Json.Serialization;
using ConvService.Api.Images;
using ConvService.Api.Models;
using ConvService.Api.Observability;
using ConvService.Inference.Serving.Repository;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;

namespace ConvService.Api.Infrastructure;

/// <summary>Service registration and the middleware pipeline, kept out of Program.cs so it stays readable.</summary>
public static class ServiceSetup
{
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(8);

    public static WebApplicationBuilder AddConvService(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate:
                "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}"),
            // Each host owns its logger: a host that stops (a failed start-up, a test factory disposed) must not
            // close a static logger that other hosts in the process still write to.
            preserveStaticLogger: true);

        builder.Services.AddOptions<LimitsOptions>()
            .BindConfiguration(LimitsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ImageOptions>()
            .BindConfiguration(ImageOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The byte limit is enforced by Kestrel and by form parsing, so an oversized body is refused while streaming.
        builder.Services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelLimitsSetup>();
        builder.Services.AddSingleton<IConfigureOptions<FormOptions>, FormLimitsSetup>();

        // Binding failures throw, so the exception handler can say which field was wrong instead of a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // JSON has no NaN or Infinity: a result that overflows float (a 3e38 kernel, a 1e308 input) is written as the
        // strings "NaN", "Infinity" and "-Infinity" instead of failing the whole answer. The README documents it.
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemDetailsEnricher.Enrich);
        builder.Services.AddExceptionHandler<EngineExceptionHandler>();
        builder.Services.AddHealthChecks();
        builder.Services.AddOpenApiDocument();
        builder.Services.AddSingleton<ImageCodec>();
        builder.Services.AddImageWorkLimits();

        builder.Services.AddOptions<CrossOriginOptions>()
            .BindConfiguration(CrossOriginOptions.Section)
            .Validate(o => o.Malformed().Count == 0, "ConvService:Cors:Origins lists something that is not an origin (scheme://host[:port]) or *.")
            .ValidateOnStart();
        builder.Services.AddCors();
        builder.Services.AddSingleton<ICorsPolicyProvider, CrossOriginPolicyProvider>();
        builder.Services.AddJsonCompression();
        builder.AddMetrics();

        // docker stop sends SIGKILL 10 s after SIGTERM: finish (or give up on) queued requests before that.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
        builder.AddModelRepository();
        return builder;
    }

    /// <summary>The model repository (a singleton others can register models into) and its loader/poller.</summary>
    public static WebApplicationBuilder AddModelRepository(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ModelsOptions>()
            .BindConfiguration(ModelsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<ModelsOptions>>().Value;
            var limits = services.GetRequiredService<IOptions<LimitsOptions>>().Value;
            var environment = services.GetRequiredService<IWebHostEnvironment>();
            var logger = services.GetRequiredService<ILogger<ModelRepository>>();
            return new ModelRepository(
                ModelsFolder.Resolve(options.Path, environment.ContentRootPath),
                options.ToServing(),
                Inference.Engine.EngineOptions.Default with
                {
                    MaxModelBytes = options.MaxModelBytes,
                    MaxPlansPerModel = options.MaxPlansPerModel,

                    // Plans split their work this many ways; each run then uses as many threads as its share allows.
                    DegreeOfParallelism = options.EffectiveIntraOpThreads,
                    // A model's activations for one batch are the inference side of the per-request memory budget.
                    MaxTotalElements = RequestMemory.Bytes(limits) / sizeof(float),
                    MaxTotalElementsSetting = RequestMemory.Setting,
                },
                e =>
                {
                    ModelRepositoryHost.Log(logger, e);
                    ServiceMetrics.RecordModelEvent(e);
                });
        });
        builder.Services.AddHostedService<ModelRepositoryHost>();
        builder.Services.AddHostedService<LectureNetworksHost>();
        return builder;
    }

    public static WebApplication UseConvService(this WebApplication app)
    {
        app.UseRequestStart();
        app.Use(HangUpAwareBody.Wrap);
        app.UseReplicaHeader(ReplicaHeader.Resolve(app.Configuration));
        app.UseSerilogRequestLogging(options =>
        {
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.EnrichDiagnosticContext = (context, http) => context.Set("TraceId", TraceIds.Of(http));
        });
        app.UseResponseCompression();
        app.UseExceptionHandler();
        app.UseCors();
        app.UseStatusCodePages();
        app.UseApiKeyCheck();
        app.UseRateLimiter();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapOpenApi();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/openapi/v1.json", "ConvService v1");
            options.RoutePrefix = "swagger";
            options.DocumentTitle = "ConvService API";
        });
        return app;
    }
}
