using System.Net;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Hostile;

/// <summary>ConvService:Limits:MaxRequestMemoryMegabytes refuses a request from its sizes, before the memory is taken.</summary>
public sealed class RequestMemoryTests
{
    [Fact]
    public async Task AnImageWhoseDecodeWouldExceedTheBudgetIs413NamingTheOption()
    {
        using var factory = ServiceFactory.Create(("ConvService:Limits:MaxRequestMemoryMegabytes", "16"));
        using var client = factory.CreateClient();

        // 1000x1000: 4 MB of pixels and up to 16 MB of planes, over 16 MiB.
        using var response = await client.PostAsync("/api/filter", Forms.With(TestImages.GradientPng(1000, 1000), fields: ("kernel", "box")));
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("ConvService:Limits:MaxRequestMemoryMegabytes", detail);
        Assert.Contains("1000x1000", detail);
    }

    [Fact]
    public async Task AnOutputThatWouldExceedTheBudgetIs413BeforeFiltering()
    {
        using var factory = ServiceFactory.Create(("ConvService:Limits:MaxRequestMemoryMegabytes", "16"));
        using var client = factory.CreateClient();

        // 400x400 decodes within 16 MiB; padded by 400 the 3-channel output is 1198x1198 floats, 16.4 MB alone.
        using var response = await client.PostAsync("/api/filter", Forms.With(TestImages.GradientPng(400, 400), fields: [("kernel", "box"), ("padding", "400")]));
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("MaxRequestMemoryMegabytes", detail);
        Assert.Contains("1198x1198", detail);

        // The same image without the padding fits.
        using var small = await client.PostAsync("/api/filter", Forms.With(TestImages.GradientPng(400, 400), fields: ("kernel", "box")));
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
    }
}
