using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Models;

public sealed class BackPressureTests
{
    [Fact]
    public async Task AHundredConcurrentRequestsAreAllAnsweredCorrectlyWithBatchingOn()
    {
        await using var service = ModelService.Create(null, ("ConvService:Models:QueueLimit", "128"), ("ConvService:Models:BatchWindowMs", "5"), ("ConvService:Models:MaxBatch", "16"));
        var images = Enumerable.Range(0, 100).Select(DigitImages.Png).ToArray();

        // One at a time first: the answer each image must get whatever it is batched with.
        var alone = new JsonElement[100];
        for (var i = 0; i < 100; i++)
        {
            alone[i] = await PredictAsync(service.Client, images[i]);
        }

        var together = await Task.WhenAll(images.Select(image => PredictAsync(service.Client, image)));

        for (var i = 0; i < 100; i++)
        {
            var expected = alone[i].GetProperty("predictions")[0];
            var actual = together[i].GetProperty("predictions")[0];
            Assert.Equal(expected.GetProperty("index").GetInt32(), actual.GetProperty("index").GetInt32());
            Assert.Equal(expected.GetProperty("probability").GetSingle(), actual.GetProperty("probability").GetSingle(), 4);
        }

        Assert.True(service.Repository.Find("lenet5-mnist")!.Served!.Executor.LargestBatch > 1);
    }

    [Fact]
    public async Task AFullQueueAnswers503WithRetryAfter()
    {
        await using var service = ModelService.Create(null, ("ConvService:Models:QueueLimit", "1"), ("ConvService:Models:PoolSize", "1"), ("ConvService:Models:Batching", "false"), ("ConvService:Models:RetryAfterSeconds", "2"));
        var executor = service.Repository.Find("lenet5-mnist")!.Served!.Executor;
        using var hold = new ManualResetEventSlim(false);
        using var entered = new SemaphoreSlim(0);
        executor.BeforeRun = () =>
        {
            entered.Release();
            hold.Wait();
        };

        var running = PredictAsync(service.Client, DigitImages.Png(0));
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(20)));
        var queued = PredictAsync(service.Client, DigitImages.Png(1));
        for (var i = 0; i < 200 && executor.Queued == 0; i++)
        {
            await Task.Delay(25);
        }

        var refused = await service.Client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(DigitImages.Png(2)));
        await Problems.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);

        hold.Set();
        await running;
        await queued;
    }

    [Fact]
    public async Task ARequestThatWaitsTooLongAnswers504AndIsDropped()
    {
        await using var service = ModelService.Create(null, ("ConvService:Models:RequestTimeoutMs", "300"), ("ConvService:Models:PoolSize", "1"));
        var executor = service.Repository.Find("lenet5-mnist")!.Served!.Executor;
        using var hold = new ManualResetEventSlim(false);
        executor.BeforeRun = () => hold.Wait();

        var response = await service.Client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(DigitImages.Png(0)));
        await Problems.AssertProblemAsync(response, HttpStatusCode.GatewayTimeout);
        var v2 = await service.Client.PostAsync("/v2/models/lenet5-mnist/infer", new StringContent(
            """{"inputs":[{"name":"input","shape":[1,1,28,28],"datatype":"FP32","data":[""" + string.Join(",", Enumerable.Repeat("0", 784)) + "]}]}",
            System.Text.Encoding.UTF8,
            "application/json"));
        Assert.Equal(HttpStatusCode.GatewayTimeout, v2.StatusCode);
        Assert.Contains("\"error\"", await v2.Content.ReadAsStringAsync());
        executor.BeforeRun = null;
        hold.Set();

        // One worker serves the queue in order: once a later request has its answer, anything the timed-out ones
        // left queued would have run before it. Only the later image may have been run.
        var later = await service.Client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(DigitImages.Png(0)));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(1, executor.ImagesRun);
    }

    [Fact]
    public async Task AClientThatDisconnectsHasItsQueuedWorkDropped()
    {
        await using var service = ModelService.Create(null, ("ConvService:Models:PoolSize", "1"), ("ConvService:Models:Batching", "false"));
        var executor = service.Repository.Find("lenet5-mnist")!.Served!.Executor;
        using var hold = new ManualResetEventSlim(false);
        using var entered = new SemaphoreSlim(0);
        executor.BeforeRun = () =>
        {
            entered.Release();
            hold.Wait();
        };

        var running = PredictAsync(service.Client, DigitImages.Png(1));
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(20)));
        using var disconnect = new CancellationTokenSource();
        var leaving = service.Client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(DigitImages.Png(2)), disconnect.Token);
        for (var i = 0; i < 400 && executor.Pending < 2; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(2, executor.Pending);
        disconnect.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        for (var i = 0; i < 400 && executor.Pending > 1; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(1, executor.Pending);
        hold.Set();
        await running;
        executor.BeforeRun = null;
        await executor.DisposeAsync();
        Assert.Equal(1, executor.ImagesRun);
    }

    private static async Task<JsonElement> PredictAsync(HttpClient client, byte[] png)
    {
        var response = await client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(png, fields: ("top", "1")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
