using ConvService.Api.Tests.Support;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Tests;

public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("ConvService:Limits:MaxKernelSize", "0")]
    [InlineData("ConvService:Limits:MaxImagePixels", "-5")]
    [InlineData("ConvService:Limits:MaxRequestBytes", "10")]
    [InlineData("ConvService:Images:PngCompressionLevel", "12")]
    [InlineData("ConvService:Models:MaxBatch", "0")]
    [InlineData("ConvService:Models:QueueLimit", "0")]
    [InlineData("ConvService:Models:MaxPlansPerModel", "0")]
    [InlineData("ConvService:Cors:Origins", "app.example.com")]
    [InlineData("ConvService:Cors:Origins", "https://app.example.com/page")]
    public void InvalidLimitsStopTheServiceAtStartUp(string key, string value)
    {
        using var factory = ServiceFactory.Create((key, value));
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.True(validation is not null, error.ToString());
        Assert.Contains(key.Split(':').Last(), validation.Message);
    }
}
