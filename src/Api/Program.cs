using ConvService.Api.Apis;
using ConvService.Api.Infrastructure;
using ConvService.Api.Networks;

var builder = WebApplication.CreateBuilder(args);
builder.AddConvService();
builder.AddNetworks();

var app = builder.Build();
app.UseConvService();
app.MapHealthApi();
app.MapFiltersApi();
app.MapFilterBanksApi();
app.MapNetworksApi();
app.MapModelsApi();
app.MapKServeApi();

app.Run();

/// <summary>Entry point; public so integration tests can host the service with WebApplicationFactory.</summary>
public partial class Program;
