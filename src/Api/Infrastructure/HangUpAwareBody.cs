namespace ConvService.Api.Infrastructure;

/// <summary>
/// Aborts the connection when reading a request body fails because the client went (a reset) or the read was
/// cancelled. Kestrel's body reader stays marked "reading" after such a failure (it resets itself only for its own
/// abort), and the form binder turns the failure into a 400 and returns; if the request ends before Kestrel has
/// noticed the reset, Kestrel then tries to drain the body and logs, at error level, that the body reader is in an
/// invalid state. Aborting first tells Kestrel there is nothing to drain. Refusals Kestrel makes itself (a body too
/// large, cut short, too slow) are BadHttpRequestExceptions and leave its reader in order, so they pass untouched.
/// </summary>
public sealed class HangUpAwareBody(Stream inner, HttpContext http) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Middleware: every request with a body reads it through this stream.</summary>
    public static Task Wrap(HttpContext context, RequestDelegate next)
    {
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            context.Request.Body = new HangUpAwareBody(context.Request.Body, context);
        }

        return next(context);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (ClientGone(e))
        {
            http.Abort();
            throw;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return inner.Read(buffer, offset, count);
        }
        catch (Exception e) when (ClientGone(e))
        {
            http.Abort();
            throw;
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static bool ClientGone(Exception e) =>
        e is OperationCanceledException || (e is IOException && e is not BadHttpRequestException);
}
