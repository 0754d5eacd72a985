using System.Diagnostics;
using System.Globalization;
using ConvService.Bench.Serving;

namespace ConvService.Bench.Reliability;

/// <summary>
/// The service's built assembly (src/Api/bin/Release) run directly on a loopback port, so its process id is the
/// service's own: resident memory is read from it and signals go to it, not to <c>dotnet run</c>.
/// </summary>
internal sealed class BuiltService : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> errors = [];

    private BuiltService(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public Process Process => process;

    /// <summary>Log lines at error level or above ("[.. ERR]" or "[.. FTL]" in the console format).</summary>
    public IReadOnlyList<string> ErrorLines { get { lock (errors) { return [.. errors]; } } }

    public long ResidentBytes()
    {
        process.Refresh();
        return process.WorkingSet64;
    }

    public static async Task<BuiltService> StartAsync(string root, int port, IReadOnlyDictionary<string, string> settings)
    {
        var dll = Path.Combine(root, "src", "Api", "bin", "Release", "net10.0", "ConvService.Api.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the service first: dotnet build src/Api -c Release ({dll} is missing).");
        }

        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", address.ToString()])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConvService__Models__LectureNetworks"] = "";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var service = new BuiltService(process, address);
        void Keep(string? line)
        {
            if (line is not null && (line.Contains(" ERR]", StringComparison.Ordinal) || line.Contains(" FTL]", StringComparison.Ordinal)))
            {
                lock (service.errors)
                {
                    service.errors.Add(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (await ServiceReadiness.WaitAsync(process, address, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(200)))
        {
            return service;
        }

        await service.DisposeAsync();
        throw new TimeoutException("The service was not ready within 2 minutes.");
    }

    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill?.WaitForExit();
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
