using ConvService.Contracts.Networks;
using ConvService.Inference.Errors;

namespace ConvService.Inference.Networks;

/// <summary>Several networks side by side (parameters, multiply-accumulates, memory), as the lecture compares its case studies.</summary>
public static class NetworkComparer
{
    public static NetworkComparison Compare(IEnumerable<NetworkSpec> specs, NetworkOptions? options = null)
    {
        var entries = new List<NetworkComparisonEntry>();
        var i = 0;
        foreach (var spec in specs)
        {
            NetworkReport report;
            try
            {
                report = NetworkAnalyzer.Analyze(spec, options);
            }
            catch (ConvServiceException e)
            {
                // Say which of the compared networks is at fault; the layer is already named.
                var extensions = new Dictionary<string, object?>(e.Extensions) { ["network"] = i, ["networkName"] = spec.Name };
                throw new ConvServiceException(e.Kind, e.Title, $"Network {i} ('{spec.Name ?? "unnamed"}'): {e.Message}", extensions);
            }

            var t = report.Totals;
            entries.Add(new NetworkComparisonEntry
            {
                Name = report.Name ?? $"spec{i}",
                InputShape = report.InputShape,
                OutputShape = report.OutputShape,
                Parameters = t.Parameters,
                Weights = t.Weights,
                Biases = t.Biases,
                Macs = t.Macs,
                Flops = t.Flops,
                ActivationBytes = t.ActivationBytes,
                TrainingActivationBytes = t.TrainingActivationBytes,
                ParameterBytes = t.ParameterBytes,
                WeightLayers = t.WeightLayers,
            });
            i++;
        }

        return new NetworkComparison(entries);
    }
}
