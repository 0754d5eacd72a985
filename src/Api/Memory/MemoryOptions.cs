using System.ComponentModel.DataAnnotations;

namespace ConvService.Api.Memory;

/// <summary>How the service gives memory back after load; bound from <c>ConvService:Memory</c> and checked at start-up.</summary>
public sealed class MemoryOptions
{
    public const string Section = "ConvService:Memory";

    /// <summary>
    /// After this many seconds without a request, a burst's memory is handed back to the operating system (a
    /// compacting collection that also empties the shared array pools). 0 turns it off.
    /// </summary>
    [Range(0, 3600)]
    public int IdleTrimSeconds { get; set; } = 10;

    /// <summary>Only a burst that allocated at least this many MiB since the last trim is worth a full compaction.</summary>
    [Range(1, 1_000_000)]
    public int TrimAfterAllocatedMegabytes { get; set; } = 256;
}
