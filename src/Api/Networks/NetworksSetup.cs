using ConvService.Inference.Networks.Json;

namespace ConvService.Api.Networks;

/// <summary>Registers what the networks endpoints need, kept apart from the shared service setup.</summary>
public static class NetworksSetup
{
    public static WebApplicationBuilder AddNetworks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NetworkLimitsOptions>()
            .BindConfiguration(NetworkLimitsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Sizes and paddings are written as the specs are ("size": 3, "padding": "same"), not as objects.
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new Extent2JsonConverter());
            options.SerializerOptions.Converters.Add(new PaddingSpecJsonConverter());
        });
        return builder;
    }
}
