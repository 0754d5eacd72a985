using System.Net;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Deployment;

public sealed class ReplicaHeaderTests
{
    [Fact]
    public async Task EveryAnswerNamesTheConfiguredReplica()
    {
        await using var factory = ServiceFactory.Create(("ConvService:Replica", "replica-b"));
        using var client = factory.CreateClient();

        using var ok = await client.GetAsync("/health/ready");
        using var problem = await client.PostAsync("/api/filter/matrix", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(["replica-b"], ok.Headers.GetValues("X-Replica"));
        Assert.Equal(HttpStatusCode.BadRequest, problem.StatusCode);
        Assert.Equal(["replica-b"], problem.Headers.GetValues("X-Replica"));
    }

    [Fact]
    public async Task WithoutASettingTheHostNameIsUsed()
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health/live");

        Assert.Equal([Environment.MachineName], response.Headers.GetValues("X-Replica"));
    }
}
