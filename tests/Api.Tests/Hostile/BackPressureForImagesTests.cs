using System.Net;
using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Hostile;

/// <summary>The image endpoints refuse what they cannot queue, as the models do, instead of taking every upload into memory.</summary>
public sealed class BackPressureForImagesTests
{
    [Fact]
    public async Task PastTheRunningAndWaitingRequestsTheRestGet503WithRetryAfter()
    {
        using var factory = ServiceFactory.Create(
            ("ConvService:Limits:MaxConcurrentImageRequests", "1"),
            ("ConvService:Limits:ImageQueueLimit", "1"));
        using var client = factory.CreateClient();

        // Each request is a 31x31 non-separable kernel over 1200x1200 RGB (about four billion multiply-adds), so eight
        // sent at once find one running and one waiting.
        var random = new Random(9);
        var matrix = JsonSerializer.Serialize(Enumerable.Range(0, 31).Select(_ => Enumerable.Range(0, 31).Select(_ => random.NextDouble()).ToArray()));
        var image = TestImages.GradientPng(1200, 1200);

        // The in-memory server starts each request on the thread pool. With the pool at its minimum (a thread a core)
        // and those threads busy with the admitted request's filter or with other tests, the later requests wait
        // for a thread until the earlier ones have finished, never overlap, and are all answered 200. Enough
        // threads up front let all eight reach the limiter together. Each is sent from a thread of its own,
        // released together.
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        ThreadPool.SetMinThreads(Math.Max(minWorkers, 32), minIo);
        var responses = new HttpResponseMessage[8];
        try
        {
            using var start = new Barrier(responses.Length);
            var senders = Enumerable.Range(0, responses.Length).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                responses[i] = client.PostAsync("/api/filter", Forms.With(image, fields: [("matrix", matrix), ("format", "png")])).GetAwaiter().GetResult();
            })).ToList();
            senders.ForEach(t => t.Start());
            await Task.Run(() => senders.ForEach(t => t.Join()));
        }
        finally
        {
            ThreadPool.SetMinThreads(minWorkers, minIo);
        }

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{(int)r.StatusCode}"));
        Assert.InRange(responses.Count(r => r.StatusCode == HttpStatusCode.OK), 2, 7);
        Assert.NotEmpty(refused);
        var problem = await Problems.AssertProblemAsync(refused[0], HttpStatusCode.ServiceUnavailable);
        Assert.Contains("ImageQueueLimit", problem.GetProperty("detail").GetString());
        Assert.NotNull(refused[0].Headers.RetryAfter);
    }

    [Fact]
    public async Task APerClientLimitAnswers429OnceTheMinuteIsSpent()
    {
        using var factory = ServiceFactory.Create(("ConvService:Limits:PerClientRequestsPerMinute", "2"));
        using var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/api/kernels");
            statuses.Add(response.StatusCode);
            if (i == 2)
            {
                var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.TooManyRequests);
                Assert.Contains("PerClientRequestsPerMinute", problem.GetProperty("detail").GetString());
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
