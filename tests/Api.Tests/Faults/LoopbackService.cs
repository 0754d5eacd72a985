using System.Net.Sockets;
using ConvService.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConvService.Api.Tests.Faults;

/// <summary>
/// The service on a real loopback socket (Kestrel, not the in-memory test server), so a test can drop connections
/// the way a real client does; every log entry is kept.
/// </summary>
public sealed class LoopbackService : WebApplicationFactory<Program>
{
    private LoopbackService(int port)
    {
        Port = port;
        UseKestrel(port);
        StartServer();
    }

    public int Port { get; }

    public CapturedLogs Logs { get; } = new();

    public static LoopbackService Start() => new(FreePort());

    public HttpClient Http() => new() { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(60) };

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Settings go here rather than through WithWebHostBuilder, whose derived factory would drop the Kestrel set-up.</summary>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConvService:Models:LectureNetworks", "");
        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerFactory>(_ => new LoggerFactory([Logs])));
    }
}
