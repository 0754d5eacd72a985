namespace ConvService.Contracts.KServe;

/// <summary>The protocol's error body: every /v2 failure answers with this (not problem details).</summary>
public sealed record ErrorResponse(string Error);
