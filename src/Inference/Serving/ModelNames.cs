using System.Text.RegularExpressions;

namespace ConvService.Inference.Serving;

/// <summary>
/// A model name is also a folder name on a shared volume, so it is held to a safe alphabet: no separators, no
/// "..", nothing a file system or URL treats specially.
/// </summary>
public static partial class ModelNames
{
    public const string Rule = "1 to 64 characters from a-z, 0-9, '.', '_' and '-', not starting with '.' and without '..'";

    public static bool IsValid(string? name) =>
        name is not null && NamePattern().IsMatch(name) && !name.StartsWith('.') && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>The same rule for a file named inside model.json, so it can never point outside its folder.</summary>
    public static bool IsValidFileName(string? name) => IsValid(name?.ToLowerInvariant());

    [GeneratedRegex("^[a-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
