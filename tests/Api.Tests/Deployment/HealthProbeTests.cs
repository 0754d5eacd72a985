using ConvService.Api.Infrastructure;

namespace ConvService.Api.Tests.Deployment;

public sealed class HealthProbeTests
{
    [Theory]
    [InlineData(null, null, "http://127.0.0.1:8080/health/ready")]
    [InlineData(null, "9090", "http://127.0.0.1:9090/health/ready")]
    [InlineData(null, "8081;8082", "http://127.0.0.1:8081/health/ready")]
    [InlineData("http://+:5005", "8080", "http://127.0.0.1:5005/health/ready")]
    [InlineData("https://*:5443;http://0.0.0.0:5080/", null, "http://127.0.0.1:5080/health/ready")]
    [InlineData("http://[::]:7000", null, "http://127.0.0.1:7000/health/ready")]
    public void TheProbeCallsThePortKestrelListensOn(string? urls, string? ports, string expected)
    {
        var environment = new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = urls, ["ASPNETCORE_HTTP_PORTS"] = ports };

        Assert.Equal(new Uri(expected), HealthProbe.ReadyUri(name => environment.GetValueOrDefault(name)));
    }

    [Fact]
    public async Task TheProbeFailsWhenNothingListens()
    {
        // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
        Assert.Equal(1, await HealthProbe.RunAsync([HealthProbe.Switch, "http://127.0.0.1:9/health/ready"]));
    }

    [Fact]
    public async Task AUrlThatIsNotOneIsRefused()
    {
        Assert.Equal(2, await HealthProbe.RunAsync([HealthProbe.Switch, "not a url"]));
    }

    [Fact]
    public void OnlyTheSwitchAsFirstArgumentRunsTheProbe()
    {
        Assert.True(HealthProbe.IsRequested([HealthProbe.Switch]));
        Assert.False(HealthProbe.IsRequested([]));
        Assert.False(HealthProbe.IsRequested(["--urls", HealthProbe.Switch]));
    }
}
