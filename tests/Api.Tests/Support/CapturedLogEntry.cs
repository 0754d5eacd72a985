using Microsoft.Extensions.Logging;

namespace ConvService.Api.Tests.Support;

/// <summary>One log entry written by a test host: its logger's category, level, formatted message and exception.</summary>
public sealed record CapturedLogEntry(string Category, LogLevel Level, string Message, Exception? Exception = null);
