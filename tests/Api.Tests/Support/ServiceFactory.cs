using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ConvService.Api.Tests.Support;

/// <summary>Hosts the service in memory; each test makes its own, optionally with settings overridden.</summary>
public static class ServiceFactory
{
    public static WebApplicationFactory<Program> Create(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");

            // Building the lecture networks in the background would cost every test host seconds of CPU;
            // the tests that need them ask for them.
            builder.UseSetting("ConvService:Models:LectureNetworks", "");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
}
