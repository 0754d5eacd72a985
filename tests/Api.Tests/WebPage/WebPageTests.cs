using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ConvService.Api.Tests.WebPage;

/// <summary>The web page in a real browser against the service on a real loopback socket.</summary>
public sealed class WebPageTests
{
    [Fact]
    public async Task PageFillsItsKernelAndBankListsFromTheApi()
    {
        var port = FreeLoopbackPort();
        await using var factory = new QuietFactory();
        factory.UseKestrel(port);
        factory.StartServer();

        var dom = await Chromium.DumpDomAsync($"http://127.0.0.1:{port}/");

        // The selects are empty in the HTML: these options exist only if the scripts ran and the API answered.
        Assert.Contains("<option value=\"sobel-magnitude\"", dom);
        Assert.Contains("<option value=\"gaussian\"", dom);
        Assert.Contains("<option value=\"mr8\"", dom);
        Assert.Contains("Leung-Malik", dom);
        Assert.Contains("/api/filter/banks/lm/image", dom);
    }

    /// <summary>
    /// Kestrel settings do not carry over to a factory derived with WithWebHostBuilder, so the settings the other
    /// tests get from ServiceFactory are applied here by overriding ConfigureWebHost instead.
    /// </summary>
    private sealed class QuietFactory : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConvService:Models:LectureNetworks", "");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
