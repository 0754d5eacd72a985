using ConvService.Api.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ConvService.Api.Tests.Faults;

/// <summary>
/// A body read that fails because the client went aborts the connection, so Kestrel does not try to drain a body
/// its reader can no longer give; Kestrel's own refusals pass through untouched.
/// </summary>
public sealed class HangUpAwareBodyTests
{
    public static TheoryData<string> ClientGone() => ["reset", "cancelled"];

    [Theory]
    [MemberData(nameof(ClientGone))]
    public async Task AReadThatFailsBecauseTheClientWentAbortsTheConnection(string failure)
    {
        var (http, lifetime) = Context();
        Exception cause = failure == "reset" ? new IOException("Connection reset by peer") : new OperationCanceledException();
        var body = new HangUpAwareBody(new FailingStream(cause), http);

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => body.ReadAsync(new byte[16]).AsTask());

        Assert.Same(cause, thrown);
        Assert.True(lifetime.Aborted);
    }

    [Fact]
    public async Task KestrelsOwnRefusalsAreLeftToKestrel()
    {
        var (http, lifetime) = Context();
        var tooLarge = new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        var body = new HangUpAwareBody(new FailingStream(tooLarge), http);

        await Assert.ThrowsAsync<BadHttpRequestException>(() => body.ReadAsync(new byte[16]).AsTask());

        Assert.False(lifetime.Aborted);
    }

    [Fact]
    public async Task ReadsPassThrough()
    {
        var (http, lifetime) = Context();
        var body = new HangUpAwareBody(new MemoryStream([1, 2, 3]), http);
        var buffer = new byte[8];

        var read = await body.ReadAsync(buffer);

        Assert.Equal(3, read);
        Assert.Equal([1, 2, 3], buffer[..3]);
        Assert.False(lifetime.Aborted);
    }

    private static (HttpContext, RecordingLifetime) Context()
    {
        var lifetime = new RecordingLifetime();
        var http = new DefaultHttpContext();
        http.Features.Set<IHttpRequestLifetimeFeature>(lifetime);
        return (http, lifetime);
    }

    private sealed class RecordingLifetime : IHttpRequestLifetimeFeature
    {
        public bool Aborted { get; private set; }

        public CancellationToken RequestAborted { get; set; }

        public void Abort() => Aborted = true;
    }

    private sealed class FailingStream(Exception failure) : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromException<int>(failure);
    }
}
