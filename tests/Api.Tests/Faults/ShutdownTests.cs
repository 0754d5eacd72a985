using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ConvService.Api.Tests.Models;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Faults;

/// <summary>
/// SIGTERM to the real service process, as Kubernetes sends it: requests already in flight finish with their
/// answers, new connections are refused, and the process exits with 0.
/// </summary>
public sealed class ShutdownTests
{
    [SkippableFact]
    public async Task SigtermLetsInFlightRequestsFinishRefusesNewOnesAndExitsWithZero()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "SIGTERM is a POSIX signal.");
        var port = LoopbackService.FreePort();
        var models = Path.Combine(Path.GetTempPath(), "convservice-sigterm-" + Guid.NewGuid().ToString("N"));
        ModelService.CopyFolder(Path.Combine(ModelService.ShippedModels, "lenet5-mnist"), Path.Combine(models, "lenet5-mnist"));
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ConvService.Api.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConvService__Models__Path"] = models;
        start.Environment["ConvService__Models__PollSeconds"] = "0";
        start.Environment["ConvService__Models__LectureNetworks"] = "";
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitUntilReady(port, process);

            // Four uploads half sent: the requests are in flight when the signal comes.
            var image = DigitImages.Png(3);
            var requests = Enumerable.Range(0, 4).Select(_ => PredictRequest(image)).ToArray();
            var sockets = new List<Socket>();
            foreach (var (head, body) in requests)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port);
                await socket.SendAsync(head);
                await socket.SendAsync(body.AsMemory(0, body.Length / 2));
                sockets.Add(socket);
            }

            await Task.Delay(300);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            // The listener closes first: a new connection is refused (or, if it races the close, answered without a 5xx).
            await Task.Delay(500);
            using (var late = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            {
                try
                {
                    var response = await late.GetAsync($"http://127.0.0.1:{port}/health/live");
                    Assert.True((int)response.StatusCode < 500, $"A request after SIGTERM got {(int)response.StatusCode}.");
                }
                catch (HttpRequestException)
                {
                    // Refused: the expected answer.
                }
            }

            for (var i = 0; i < sockets.Count; i++)
            {
                var body = requests[i].Body;
                await sockets[i].SendAsync(body.AsMemory(body.Length / 2));
                var answer = await ReadAll(sockets[i]);
                Assert.StartsWith("HTTP/1.1 200", answer);
                Assert.Contains("predictions", answer);
                sockets[i].Dispose();
            }

            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exited.Token);
            Assert.True(process.ExitCode == 0, $"Exit code {process.ExitCode}:\n{output}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(models, recursive: true);
        }
    }

    private static async Task WaitUntilReady(int port, Process process)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 600; i++)
        {
            Assert.False(process.HasExited, "The service exited before it was ready.");
            try
            {
                if ((await client.GetAsync($"http://127.0.0.1:{port}/v2/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Still starting.
            }

            await Task.Delay(100);
        }

        Assert.Fail("The service was not ready within a minute.");
    }

    private static async Task<string> ReadAll(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                return text.ToString();
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            if (text.ToString() is var s && s.Contains("\r\n\r\n") && s.Contains("predictions") && s.TrimEnd().EndsWith('}'))
            {
                return s;
            }
        }
    }

    private static (byte[] Head, byte[] Body) PredictRequest(byte[] image)
    {
        const string boundary = "sigterm-boundary";
        var body = new MemoryStream();
        body.Write(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"digit.png\"\r\nContent-Type: image/png\r\n\r\n"));
        body.Write(image);
        body.Write(Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n"));
        var head = Encoding.ASCII.GetBytes(
            $"POST /api/models/lenet5-mnist/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {body.Length}\r\n\r\n");
        return (head, body.ToArray());
    }
}
