using ConvService.Api.Apis;
using ConvService.Api.Classifiers;
using ConvService.Api.Infrastructure;
using ConvService.Api.Memory;
using ConvService.Api.Networks;
using ConvService.Api.Observability;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContentRoot.Find(Directory.GetCurrentDirectory(), AppContext.BaseDirectory),
});
builder.AddConvService();
builder.AddNetworks();
builder.AddClassifiers();
builder.AddMemoryTrimming();

var app = builder.Build();
app.UseRequestActivity();
app.UseConvService();
app.MapHealthApi();
app.MapFiltersApi();
app.MapFilterBanksApi();
app.MapNetworksApi();
app.MapModelsApi();
app.MapClassifiersApi();
app.MapKServeApi();
app.MapMetrics();

await app.RunAsync();
return 0;

/// <summary>Entry point; public so integration tests can host the service with WebApplicationFactory.</summary>
public partial class Program;
