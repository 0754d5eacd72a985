using System.ComponentModel.DataAnnotations;

namespace ConvService.Api.Infrastructure;

/// <summary>Upper bounds on what one request may ask for; bound from <c>ConvService:Limits</c> and checked at start-up.</summary>
public sealed class LimitsOptions
{
    public const string Section = "ConvService:Limits";

    /// <summary>Largest request body in bytes (uploads included).</summary>
    [Range(1024, 1L << 31)]
    public long MaxRequestBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Largest image in pixels (width x height), checked from the header before decoding.</summary>
    [Range(1, 400_000_000)]
    public long MaxImagePixels { get; set; } = 40_000_000;

    /// <summary>
    /// Longest side an image may have, whatever its area: a 1x40,000,000 strip is within the pixel limit but costs
    /// the decoder and the filter's row setup far more than its area suggests.
    /// </summary>
    [Range(16, 1_000_000)]
    public int MaxImageSide { get; set; } = 16_384;

    /// <summary>
    /// Time budget for one image request's decode, filtering and encode; past it the work stops and the answer is 503.
    /// </summary>
    [Range(100, 3_600_000)]
    public int ImageWorkTimeoutMs { get; set; } = 30_000;

    /// <summary>
    /// Largest upload held in memory while its form is read; a larger one is buffered to a temporary file first,
    /// which on a photo cost more than a millisecond of the request. Each request in flight may hold this much.
    /// </summary>
    [Range(0, 64 * 1024 * 1024)]
    public int UploadMemoryBufferBytes { get; set; } = 1024 * 1024;

    /// <summary>Most parts (fields and files) in one multipart form; every form here has one file and a few fields.</summary>
    [Range(8, 10_000)]
    public int MaxFormParts { get; set; } = 64;

    /// <summary>Image requests (filter, matrix, bank, compose) that run at once; each holds its decoded image and output.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentImageRequests { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Image requests that may wait for a slot; past this, new ones get 503 with Retry-After.</summary>
    [Range(0, 100_000)]
    public int ImageQueueLimit { get; set; } = 32;

    /// <summary>Requests one client address may send to /api per minute (429 past it); 0 turns the limit off.</summary>
    [Range(0, 1_000_000)]
    public int PerClientRequestsPerMinute { get; set; }

    /// <summary>Most kernels one composition may take.</summary>
    [Range(2, 10_000)]
    public int MaxComposedKernels { get; set; } = 64;

    /// <summary>Most frames an animated image may have; only the first is filtered, but all are parsed.</summary>
    [Range(1, 10_000)]
    public int MaxImageFrames { get; set; } = 100;

    /// <summary>Largest kernel side (rows or columns) for custom and generated kernels.</summary>
    [Range(1, 1024)]
    public int MaxKernelSize { get; set; } = 63;

    /// <summary>Largest matrix side for <c>/api/filter/matrix</c>.</summary>
    [Range(1, 100_000)]
    public int MaxMatrixSize { get; set; } = 2048;

    /// <summary>
    /// Longest side an image is scaled down to before a filter bank runs: a bank is dozens of 49x49 kernels, so its
    /// cost grows with the area; texture statistics need no more than a few hundred pixels.
    /// </summary>
    [Range(16, 4096)]
    public int MaxBankImageSide { get; set; } = 256;

    /// <summary>
    /// Memory one request may plan to hold, in MiB: for an image request its decoded pixels, float planes, output
    /// and encoded answer; for a model, one batch's activations. A request over it is refused with 413 before any of
    /// that is allocated. The default admits the largest image MaxImagePixels allows with 3x3 padding.
    /// </summary>
    [Range(16, 65_536)]
    public int MaxRequestMemoryMegabytes { get; set; } = 2048;

    /// <summary>Most megabytes ImageSharp may allocate for one decode; a second line of defence after the pixel check.</summary>
    [Range(16, 65_536)]
    public int DecoderAllocationLimitMegabytes { get; set; } = 1024;
}
