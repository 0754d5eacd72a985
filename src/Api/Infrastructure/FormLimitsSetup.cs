using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Infrastructure;

/// <summary>Applies the configured byte limit to multipart parsing, which has its own (larger) default.</summary>
public sealed class FormLimitsSetup(IOptions<LimitsOptions> limits) : IConfigureOptions<FormOptions>
{
    public void Configure(FormOptions options)
    {
        options.MultipartBodyLengthLimit = limits.Value.MaxRequestBytes;
        options.ValueLengthLimit = (int)Math.Min(int.MaxValue, limits.Value.MaxRequestBytes);
        options.ValueCountLimit = limits.Value.MaxFormParts;
        options.MemoryBufferThreshold = limits.Value.UploadMemoryBufferBytes;
    }
}
