using System.Runtime.InteropServices;

namespace ConvService.Tools.Arm64Runner;

/// <summary>
/// Two runs agree when their five largest outputs are the same indices in the same order and no output differs by
/// more than a small share of the largest magnitude: the levels add the same products in different orders (and
/// fused), so bit equality is not expected.
/// </summary>
internal static class OutputComparison
{
    private const double RelativeTolerance = 1e-4;

    public static int Execute(string firstPath, string secondPath)
    {
        var first = Read(firstPath);
        var second = Read(secondPath);
        if (first.Length != second.Length)
        {
            Console.WriteLine($"different lengths: {first.Length} and {second.Length}");
            return 1;
        }

        double maxDiff = 0, maxMagnitude = 0;
        for (var i = 0; i < first.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs((double)first[i] - second[i]));
            maxMagnitude = Math.Max(maxMagnitude, Math.Abs(first[i]));
        }

        int[] topFirst = Top(first, 5), topSecond = Top(second, 5);
        var sameTop = topFirst.SequenceEqual(topSecond);
        var close = maxDiff <= RelativeTolerance * maxMagnitude;
        Console.WriteLine($"outputs {first.Length}, largest |value| {maxMagnitude:G6}, max abs diff {maxDiff:G6} ({maxDiff / maxMagnitude:G3} of it, limit {RelativeTolerance:G})");
        Console.WriteLine($"top 5: {string.Join(", ", topFirst)} and {string.Join(", ", topSecond)}: {(sameTop ? "equal" : "DIFFERENT")}");
        return sameTop && close ? 0 : 1;
    }

    public static int[] Top(float[] values, int count) =>
        [.. Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).ThenBy(i => i).Take(count)];

    private static float[] Read(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();
}
