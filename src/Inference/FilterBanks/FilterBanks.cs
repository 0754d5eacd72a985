using ConvService.Inference.Errors;

namespace ConvService.Inference.FilterBanks;

/// <summary>The texture filter banks the service knows: lm, s and mr8.</summary>
public static class FilterBanks
{
    private static readonly FilterBank[] Banks = [LeungMalikBank.Create(), SchmidBank.Create(), MaximumResponseBank.Create()];

    /// <summary>Every bank, in a fixed order. Kernels are built when a bank's filters are first used.</summary>
    public static IReadOnlyList<FilterBank> All { get; } = Array.AsReadOnly(Banks);

    /// <summary>The bank names, for error messages and listings.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(Banks.Select(b => b.Name).ToArray());

    /// <summary>The bank with this name (case-insensitive).</summary>
    /// <exception cref="ConvServiceException">InvalidInput "Unknown filter bank" with the known names.</exception>
    public static FilterBank Get(string name)
    {
        foreach (var bank in Banks)
        {
            if (string.Equals(bank.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return bank;
            }
        }

        var known = string.Join(", ", Names);
        throw new ConvServiceException(
            ErrorKind.InvalidInput,
            "Unknown filter bank",
            $"There is no filter bank named '{name}'. Use one of: {known}.",
            new Dictionary<string, object?> { ["knownBanks"] = Names.ToArray() });
    }
}
