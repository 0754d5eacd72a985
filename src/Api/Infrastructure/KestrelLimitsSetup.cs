using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Infrastructure;

/// <summary>Applies the configured byte limit to Kestrel, so an oversized body is cut off while it streams in.</summary>
public sealed class KestrelLimitsSetup(IOptions<LimitsOptions> limits) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options) =>
        options.Limits.MaxRequestBodySize = limits.Value.MaxRequestBytes;
}
