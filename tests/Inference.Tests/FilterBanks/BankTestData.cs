using ConvService.Inference.FilterBanks;
using ConvService.Inference.Filters;

namespace ConvService.Inference.Tests.FilterBanks;

internal static class BankTestData
{
    public const int Last = 48;

    /// <summary>The kernel rotated by 90 degrees: out[r, c] = k[48 - c, r].</summary>
    public static float RotatedQuarter(Kernel2D kernel, int row, int col) => kernel[Last - col, row];

    public static IEnumerable<BankFilter> FiltersOfType(FilterBank bank, string typePrefix) =>
        bank.Filters.Where(f => f.Name.StartsWith(typePrefix + " ", StringComparison.Ordinal));

    public static int OrientationOf(BankFilter filter)
    {
        var token = filter.Name.Split(' ').Single(t => t.StartsWith("o=", StringComparison.Ordinal));
        return int.Parse(token[2..^3], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string ScaleOf(BankFilter filter) => filter.Name.Split(' ').Single(t => t.StartsWith("s=", StringComparison.Ordinal));
}
