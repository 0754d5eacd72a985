using ConvService.Api.Tests.Support;
using ConvService.Inference.Serving.Repository;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConvService.Api.Tests.Models;

/// <summary>Hosts the service on a private copy of the model repository, so uploads and deletions touch nothing shared.</summary>
public sealed class ModelService : IAsyncDisposable
{
    private ModelService(string folder, WebApplicationFactory<Program> factory)
    {
        Folder = folder;
        Factory = factory;
        Client = factory.CreateClient();
    }

    /// <summary>The models the build copies next to the service (lenet5-mnist, resnet18-features).</summary>
    public static string ShippedModels => Path.Combine(AppContext.BaseDirectory, "models");

    public string Folder { get; }

    public WebApplicationFactory<Program> Factory { get; }

    public HttpClient Client { get; }

    public ModelRepository Repository => Factory.Services.GetRequiredService<ModelRepository>();

    /// <summary>A service whose repository holds copies of <paramref name="models"/> (default: LeNet only, which loads in milliseconds).</summary>
    public static ModelService Create(string[]? models = null, params (string Key, string Value)[] settings) =>
        Create(null, models, settings);

    /// <summary>As <see cref="Create(string[], ValueTuple{string, string}[])"/>, with every log entry also kept in <paramref name="logs"/>.</summary>
    public static ModelService Create(CapturedLogs? logs, string[]? models, params (string Key, string Value)[] settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "convservice-models-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (var model in models ?? ["lenet5-mnist"])
        {
            CopyFolder(Path.Combine(ShippedModels, model), Path.Combine(folder, model));
        }

        var factory = ServiceFactory.Create([("ConvService:Models:Path", folder), ("ConvService:Models:PollSeconds", "0"), .. settings]);
        if (logs is not null)
        {
            // The service logs through Serilog, which does not write to other providers: the test host's loggers
            // come from a factory over the captured log instead.
            factory = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<ILoggerFactory>(_ => new LoggerFactory([logs]))));
        }

        return new ModelService(folder, factory);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    public static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
