namespace ConvService.Api.Classifiers;

/// <summary>Registers classifier training: its options (validated at start-up) and its training slots.</summary>
public static class ClassifiersSetup
{
    public static WebApplicationBuilder AddClassifiers(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClassifiersOptions>()
            .BindConfiguration(ClassifiersOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<TrainingSlots>();
        return builder;
    }
}
