using System.Net;
using System.Net.Sockets;
using System.Text;
using ConvService.Api.Memory;
using ConvService.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConvService.Api.Tests.Faults;

/// <summary>
/// Clients that hang up mid-upload or mid-response: the request ends, nothing is logged at error level, and the
/// service goes on answering. Raw sockets, because HttpClient finishes what it starts.
/// </summary>
public sealed class DisconnectTests
{
    [Fact]
    public async Task AClientThatHangsUpMidUploadLeavesNoErrorAndNothingInFlight()
    {
        await using var service = LoopbackService.Start();
        var image = TestImages.GradientPng(600, 400);
        var (head, body) = FilterRequest(image);

        using (var socket = await Connect(service.Port))
        {
            await socket.SendAsync(head);
            await socket.SendAsync(body.AsMemory(0, body.Length / 2));
            await Task.Delay(200);
        }

        await AssertRecovered(service);
    }

    [Fact]
    public async Task AClientThatHangsUpMidResponseLeavesNoErrorAndNothingInFlight()
    {
        await using var service = LoopbackService.Start();

        // A large gray answer, so the response is still being written when the client goes.
        var image = TestImages.GradientPng(1600, 1200);
        var (head, body) = FilterRequest(image);
        using (var socket = await Connect(service.Port))
        {
            await socket.SendAsync(head);
            await socket.SendAsync(body);
            var first = new byte[256];
            var read = await socket.ReceiveAsync(first);
            Assert.StartsWith("HTTP/1.1 200", Encoding.ASCII.GetString(first, 0, read));
        }

        await AssertRecovered(service);
    }

    private static async Task AssertRecovered(LoopbackService service)
    {
        var activity = service.Services.GetRequiredService<RequestActivity>();
        for (var i = 0; i < 200 && activity.InFlight > 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, activity.InFlight);
        using var client = service.Http();
        var after = await client.PostAsync("/api/filter", Forms.With(TestImages.GradientPng(40, 30), fields: ("kernel", "box")));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var errors = service.Logs.Entries
            .Where(e => e.Level >= LogLevel.Error)
            .Select(e => $"{e.Category}: {e.Message}\n{e.Exception}").ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors));
    }

    private static (byte[] Head, byte[] Body) FilterRequest(byte[] image)
    {
        const string boundary = "disconnect-boundary";
        var body = new MemoryStream();
        void Text(string s) => body.Write(Encoding.ASCII.GetBytes(s));
        Text($"--{boundary}\r\nContent-Disposition: form-data; name=\"kernel\"\r\n\r\nsobel-magnitude\r\n");
        Text($"--{boundary}\r\nContent-Disposition: form-data; name=\"gray\"\r\n\r\ntrue\r\n");
        Text($"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"big.png\"\r\nContent-Type: image/png\r\n\r\n");
        body.Write(image);
        Text($"\r\n--{boundary}--\r\n");
        var head = Encoding.ASCII.GetBytes(
            $"POST /api/filter HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {body.Length}\r\n\r\n");
        return (head, body.ToArray());
    }

    private static async Task<Socket> Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { LingerState = new LingerOption(true, 0) };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return socket;
    }
}
