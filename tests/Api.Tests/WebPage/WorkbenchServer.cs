using System.Net.Sockets;
using ConvService.Api.Tests.Models;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ConvService.Api.Tests.WebPage;

/// <summary>
/// The whole service on a real loopback socket, as a browser reaches it, with a private copy of the model
/// repository (LeNet-5 only, which loads in milliseconds) and an API key, so uploads and deletions touch nothing shared.
/// </summary>
public sealed class WorkbenchServer : IAsyncDisposable
{
    public const string ApiKey = "page-test-key";

    private readonly Factory factory;

    private WorkbenchServer(string folder)
    {
        ModelsFolder = folder;
        Port = FreeLoopbackPort();
        factory = new Factory(folder);
        factory.UseKestrel(Port);
        factory.StartServer();
    }

    public int Port { get; }

    public string ModelsFolder { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    public static WorkbenchServer Start()
    {
        var folder = Path.Combine(Path.GetTempPath(), "convservice-page-models-" + Guid.NewGuid().ToString("N"));
        ModelService.CopyFolder(Path.Combine(ModelService.ShippedModels, "lenet5-mnist"), Path.Combine(folder, "lenet5-mnist"));
        return new WorkbenchServer(folder);
    }

    public async ValueTask DisposeAsync()
    {
        await factory.DisposeAsync();
        try
        {
            Directory.Delete(ModelsFolder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Settings go in ConfigureWebHost: Kestrel settings do not carry over to a factory derived with WithWebHostBuilder.</summary>
    private sealed class Factory(string modelsFolder) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConvService:Models:LectureNetworks", "");
            builder.UseSetting("ConvService:Models:Path", modelsFolder);
            builder.UseSetting("ConvService:Models:PollSeconds", "0");
            builder.UseSetting("ConvService:Models:ApiKey", ApiKey);
        }
    }
}
