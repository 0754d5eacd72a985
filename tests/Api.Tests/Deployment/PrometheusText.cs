using System.Globalization;

namespace ConvService.Api.Tests.Deployment;

/// <summary>Reads samples out of a Prometheus text exposition.</summary>
public sealed class PrometheusText(string text)
{
    public string Text { get; } = text;

    /// <summary>The sum of every sample of <paramref name="name"/> whose labels contain all of <paramref name="labels"/>.</summary>
    public double Sum(string name, params string[] labels)
    {
        var total = 0.0;
        foreach (var line in Text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[name.Length..];
            if (rest.Length == 0 || (rest[0] != '{' && rest[0] != ' '))
            {
                continue;
            }

            // Label values may hold braces (http_route="/api/models/{name}/predict"): the label set ends at the last one.
            var labelText = rest[0] == '{' ? rest[..(rest.LastIndexOf('}') + 1)] : "";
            if (labels.All(l => labelText.Contains(l, StringComparison.Ordinal)))
            {
                var value = rest[labelText.Length..].Trim().Split(' ')[0];
                total += double.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    public bool Has(string name) => Text.Split('\n').Any(l => l.StartsWith(name, StringComparison.Ordinal));
}
