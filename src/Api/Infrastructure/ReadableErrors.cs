using System.Text.Json;
using System.Text.RegularExpressions;

namespace ConvService.Api.Infrastructure;

/// <summary>
/// Rewrites the framework's messages about unreadable bodies in the API's own words: a client is told which value
/// was wrong and what was expected there, never a .NET type name or a hint meant for the service's developers.
/// </summary>
public static partial class ReadableErrors
{
    public static string Json(JsonException e)
    {
        var at = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "the body" : $"'{e.Path}'";
        var converted = ConvertedTo().Match(e.Message);
        if (converted.Success)
        {
            return $"The JSON body could not be read: {at} should be {Expected(converted.Groups["type"].Value.TrimEnd('.'))}.";
        }

        // Syntax errors carry no type names; keep the reader's position but not its exception wording.
        var position = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
        return $"The JSON body could not be read{position}: it is not well-formed JSON. Check quotes, commas and brackets.";
    }

    public static string Request(BadHttpRequestException e) => e.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal)
        || e.Message.Contains("no body was provided", StringComparison.Ordinal)
        ? "The request has no body. Send the JSON object this endpoint takes (its schema is at /swagger) with Content-Type: application/json."
        : e.InnerException is JsonException json ? Json(json)
        : TypeName().Replace(e.Message, "value");

    private static string Expected(string type) => type switch
    {
        "System.Double" or "System.Single" or "System.Decimal" => "a number",
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Boolean" => "true or false",
        "System.String" => "a string",
        _ when type.EndsWith("[][]", StringComparison.Ordinal) => "an array of arrays (rows of values)",
        _ when type.EndsWith("[]", StringComparison.Ordinal) || type.Contains("List`", StringComparison.Ordinal) => "an array",
        _ => "a JSON object with the fields this endpoint takes (see /swagger)",
    };

    [GeneratedRegex(@"converted to (?<type>[\w.`\[\]]+)")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"\b(System|ConvService|Microsoft)\.[\w.`\[\]]+")]
    private static partial Regex TypeName();
}
