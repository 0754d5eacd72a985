using ConvService.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Tests;

public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("ConvService:Limits:MaxKernelSize", "0")]
    [InlineData("ConvService:Limits:MaxImagePixels", "-5")]
    [InlineData("ConvService:Limits:MaxRequestBytes", "10")]
    [InlineData("ConvService:Limits:UploadMemoryBufferBytes", "-1")]
    [InlineData("ConvService:Images:PngCompressionLevel", "12")]
    [InlineData("ConvService:Models:MaxBatch", "0")]
    [InlineData("ConvService:Models:QueueLimit", "0")]
    [InlineData("ConvService:Models:MaxPlansPerModel", "0")]
    [InlineData("ConvService:Models:IntraOpThreads", "-1")]
    [InlineData("ConvService:Models:IntraOpThreads", "257")]
    [InlineData("ConvService:Cors:Origins", "app.example.com")]
    [InlineData("ConvService:Cors:Origins", "https://app.example.com/page")]
    public async Task InvalidLimitsStopTheServiceAtStartUp(string key, string value)
    {
        var error = await StartupHost.StartAsync((key, value));
        Assert.NotNull(error);
        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.True(validation is not null, error.ToString());
        Assert.Contains(key.Split(':').Last(), validation.Message);
    }

    [Fact]
    public async Task AnUnknownIntraOpPolicyStopsTheServiceAtStartUp()
    {
        var error = await StartupHost.StartAsync(("ConvService:Models:IntraOpPolicy", "Sometimes"));
        Assert.NotNull(error);
        Assert.Contains("IntraOpPolicy", error.ToString());
    }

    [Fact]
    public void TheUploadMemoryBufferReachesTheFormReader()
    {
        using var factory = ServiceFactory.Create(("ConvService:Limits:UploadMemoryBufferBytes", "12345"));
        var form = factory.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Features.FormOptions>>().Value;
        Assert.Equal(12345, form.MemoryBufferThreshold);
    }

    [Fact]
    public async Task ValidSettingsStart() => Assert.Null(await StartupHost.StartAsync(("ConvService:Limits:MaxKernelSize", "31")));
}
