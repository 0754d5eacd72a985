using Microsoft.Extensions.Logging;

namespace ConvService.Api.Tests.Support;

/// <summary>One log entry written by a test host: its logger's category, level and formatted message.</summary>
public sealed record CapturedLogEntry(string Category, LogLevel Level, string Message);
