using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ConvService.Bench;

/// <summary>
/// CPU time of the calling thread and of the whole process (Linux clock_gettime; wall time elsewhere). On a machine
/// shared with other work, CPU time shows what a stage costs where wall time shows how long it waited for a core.
/// </summary>
internal static class CpuClock
{
    private const int ProcessClock = 2;
    private const int ThreadClock = 3;

    public static double ThreadSeconds() => Read(ThreadClock);

    public static double ProcessSeconds() => Read(ProcessClock);

    private static double Read(int clock)
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(clock, out var time) == 0)
        {
            return time.Seconds + time.Nanoseconds * 1e-9;
        }

        return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
