namespace ConvService.Api.Memory;

public static class MemorySetup
{
    public static WebApplicationBuilder AddMemoryTrimming(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MemoryOptions>()
            .BindConfiguration(MemoryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RequestActivity>();
        builder.Services.AddHostedService<IdleMemoryTrimmer>();
        return builder;
    }

    /// <summary>First in the pipeline, so every request, refused ones included, counts as activity.</summary>
    public static WebApplication UseRequestActivity(this WebApplication app)
    {
        var activity = app.Services.GetRequiredService<RequestActivity>();
        app.Use(activity.Track);
        return app;
    }
}
