using System.Diagnostics;

namespace ConvService.Bench.Serving;

/// <summary>
/// The real service on a loopback port, started with <c>dotnet run -c Release --project src/Api</c> (with
/// <c>--no-build</c> when asked) and the batching setting under test; stopped (its process tree only) when disposed.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;

    private ServiceProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ServiceProcess> StartAsync(string repositoryRoot, int port, bool batching, int queueLimit, bool build = true)
    {
        var address = new Uri($"http://127.0.0.1:{port}");
        string[] run = ["run", "-c", "Release", "--no-launch-profile", .. build ? Array.Empty<string>() : ["--no-build"], "--project", "src/Api", "--urls", address.ToString()];
        var start = new ProcessStartInfo("dotnet", run)
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConvService__Models__Batching"] = batching ? "true" : "false";
        start.Environment["ConvService__Models__QueueLimit"] = queueLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ConvService__Models__RequestTimeoutMs"] = "600000";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new ServiceProcess(process, address);
        if (await ServiceReadiness.WaitAsync(process, address, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(500)))
        {
            return service;
        }

        await service.DisposeAsync();
        throw new TimeoutException("The service was not ready within 5 minutes.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
