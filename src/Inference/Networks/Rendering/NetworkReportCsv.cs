using System.Globalization;
using System.Text;
using ConvService.Contracts.Networks;

namespace ConvService.Inference.Networks.Rendering;

/// <summary>A report as RFC 4180 CSV: one row per layer with plain integers, then a "total" row.</summary>
public static class NetworkReportCsv
{
    private const string Header =
        "index,name,type,level,input,output,weights,biases,parameters,activations,activation_bytes,in_place,macs," +
        "receptive_field_h,receptive_field_w,jump_h,jump_w,formula,parameter_formula";

    public static string Render(NetworkReport report)
    {
        var text = new StringBuilder(Header).Append("\r\n");
        foreach (var r in report.Layers)
        {
            Line(text, r.Index, r.Name, r.Type, I(r.Level), r.InputShape, r.OutputShape, I(r.Weights), I(r.Biases), I(r.Parameters),
                I(r.Activations), I(r.ActivationBytes), r.InPlace ? "true" : "false", I(r.Macs), I(r.ReceptiveFieldHeight),
                I(r.ReceptiveFieldWidth), I(r.JumpHeight), I(r.JumpWidth), r.Formula, r.ParameterFormula);
        }

        var t = report.Totals;
        Line(text, "total", report.Name ?? "network", "", "", report.InputShape, report.OutputShape, I(t.Weights), I(t.Biases),
            I(t.Parameters), I(t.Activations), I(t.ActivationBytes), "", I(t.Macs), "", "", "", "",
            $"training bytes (x2): {I(t.TrainingActivationBytes)}; FLOPs: {I(t.Flops)}", "");
        return text.ToString();
    }

    public static string Render(NetworkComparison comparison)
    {
        var text = new StringBuilder("name,input,output,parameters,weights,biases,macs,flops,activation_bytes,training_activation_bytes,parameter_bytes,weight_layers\r\n");
        foreach (var n in comparison.Networks)
        {
            Line(text, n.Name, n.InputShape, n.OutputShape, I(n.Parameters), I(n.Weights), I(n.Biases), I(n.Macs), I(n.Flops),
                I(n.ActivationBytes), I(n.TrainingActivationBytes), I(n.ParameterBytes), I(n.WeightLayers));
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, params string[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            var cell = cells[i];
            if (cell.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                text.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                text.Append(cell);
            }
        }

        text.Append("\r\n");
    }

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);
}
