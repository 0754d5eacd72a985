namespace ConvService.Contracts.Filters;

/// <summary>Milliseconds spent decoding the upload, filtering, and encoding the result.</summary>
public sealed record FilterTimings(double DecodeMs, double FilterMs, double EncodeMs);
