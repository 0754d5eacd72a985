using ConvService.Api.Classifiers;
using ConvService.Api.Infrastructure;
using ConvService.Api.Networks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace ConvService.Api.Tests.Support;

/// <summary>
/// Starts the service's own set-up (the same AddConvService, AddNetworks and AddClassifiers that Program calls) on a test server
/// with settings overridden, and returns what starting threw. WebApplicationFactory is not used here: when start-up
/// fails, its deferred host can report the disposed service provider instead of the validation error.
/// </summary>
public static class StartupHost
{
    public static async Task<Exception?> StartAsync(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(
            settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)).Append(KeyValuePair.Create("ConvService:Models:LectureNetworks", (string?)"")));
        builder.AddConvService();
        builder.AddNetworks();
        builder.AddClassifiers();
        await using var app = builder.Build();
        try
        {
            await app.StartAsync();
            await app.StopAsync();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
