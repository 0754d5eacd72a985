using System.Globalization;
using System.Text;
using ConvService.Contracts.Networks;

namespace ConvService.Inference.Networks.Rendering;

/// <summary>A report as a Markdown table plus totals, for pasting into notes.</summary>
public static class NetworkReportMarkdown
{
    public static string Render(NetworkReport report)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(Escape(report.Name ?? "network")).Append('\n');
        if (!string.IsNullOrEmpty(report.Description))
        {
            text.Append('\n').Append(Escape(report.Description)).Append('\n');
        }

        text.Append("\nInput ").Append(report.InputShape).Append(", output ").Append(report.OutputShape)
            .Append(", fit ").Append(report.Fit == FitMode.Floor ? "floor" : "exact").Append(".\n\n");
        text.Append("| # | Layer | Type | Input | Output | Weights | Biases | Parameters | Activations | Bytes | MACs | RF | Jump | Formula |\n");
        text.Append("|---|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        foreach (var row in report.Layers)
        {
            var indent = string.Concat(Enumerable.Repeat("&nbsp;&nbsp;", row.Level));
            var formula = string.IsNullOrEmpty(row.ParameterFormula) ? row.Formula : $"{row.Formula}; {row.ParameterFormula}";
            var bytes = row.InPlace ? $"({N(row.ActivationBytes)} in place)" : N(row.ActivationBytes);
            text.Append("| ").Append(row.Index)
                .Append(" | ").Append(indent).Append(Escape(row.Name))
                .Append(" | ").Append(row.Type)
                .Append(" | ").Append(row.InputShape)
                .Append(" | ").Append(row.OutputShape)
                .Append(" | ").Append(N(row.Weights))
                .Append(" | ").Append(N(row.Biases))
                .Append(" | ").Append(N(row.Parameters))
                .Append(" | ").Append(N(row.Activations))
                .Append(" | ").Append(bytes)
                .Append(" | ").Append(N(row.Macs))
                .Append(" | ").Append(Pair(row.ReceptiveFieldHeight, row.ReceptiveFieldWidth))
                .Append(" | ").Append(Pair(row.JumpHeight, row.JumpWidth))
                .Append(" | ").Append(Escape(formula))
                .Append(" |\n");
        }

        var t = report.Totals;
        text.Append("\n## Totals\n\n");
        text.Append("- Parameters: ").Append(N(t.Parameters)).Append(" (").Append(N(t.Weights)).Append(" weights + ")
            .Append(N(t.Biases)).Append(" biases), ").Append(N(t.ParameterBytes)).Append(" bytes in float32\n");
        text.Append("- Activations per image (forward): ").Append(N(t.Activations)).Append(" values = ").Append(N(t.ActivationBytes)).Append(" bytes\n");
        text.Append("- Training estimate (forward + backward, x2): ").Append(N(t.TrainingActivationBytes)).Append(" bytes\n");
        text.Append("- Multiply-accumulates: ").Append(N(t.Macs)).Append("; FLOPs: ").Append(N(t.Flops)).Append('\n');
        text.Append("- Layers: ").Append(t.Layers).Append(" (").Append(t.WeightLayers).Append(" weight layers)\n");
        text.Append("\n## Notes\n\n");
        foreach (var note in report.Notes)
        {
            text.Append("- ").Append(Escape(note)).Append('\n');
        }

        return text.ToString();
    }

    public static string Render(NetworkComparison comparison)
    {
        var text = new StringBuilder();
        text.Append("| Network | Input | Output | Parameters | MACs | FLOPs | Forward bytes | Training bytes | Weight layers |\n");
        text.Append("|---|---|---|--:|--:|--:|--:|--:|--:|\n");
        foreach (var n in comparison.Networks)
        {
            text.Append("| ").Append(Escape(n.Name)).Append(" | ").Append(n.InputShape).Append(" | ").Append(n.OutputShape)
                .Append(" | ").Append(N(n.Parameters)).Append(" | ").Append(N(n.Macs)).Append(" | ").Append(N(n.Flops))
                .Append(" | ").Append(N(n.ActivationBytes)).Append(" | ").Append(N(n.TrainingActivationBytes))
                .Append(" | ").Append(n.WeightLayers).Append(" |\n");
        }

        return text.ToString();
    }

    private static string Pair(long height, long width) => height == width ? N(height) : $"{N(height)}x{N(width)}";

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
