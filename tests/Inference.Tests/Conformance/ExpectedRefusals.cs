using System.Text;

namespace ConvService.Inference.Tests.Conformance;

/// <summary>
/// The checked-in list of conformance cases the engine is expected to refuse, one "case: reason" a line under
/// "[Operator]" headers. Reasons document the list; membership is what the test checks.
/// </summary>
internal static class ExpectedRefusals
{
    public const string FileName = "expected-refusals.txt";

    /// <summary>Set to 1 to rewrite the list from the current refusals instead of checking against it.</summary>
    public const string RewriteVariable = "CONVSERVICE_CONFORMANCE_REWRITE";

    public static Dictionary<string, string> Read(string path)
    {
        var cases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith('['))
            {
                continue;
            }

            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            cases[colon < 0 ? line : line[..colon]] = colon < 0 ? string.Empty : line[(colon + 2)..];
        }

        return cases;
    }

    public static void Write(string path, IReadOnlyList<CaseOutcome> outcomes)
    {
        var passed = outcomes.Count(o => o.Verdict == CaseVerdict.Passed);
        var refused = outcomes.Where(o => o.Verdict == CaseVerdict.Refused).ToList();
        var text = new StringBuilder();
        text.AppendLine("# Cases of ONNX's backend test suite (Debian libonnx-testdata, ONNX 1.12) that the engine refuses at load time,");
        text.AppendLine("# grouped by the operator the refusal names, each with the first sentence of its refusal. Checked by");
        text.AppendLine("# tests/Inference.Tests/Conformance/ConformanceTests.cs: a case outside this list must pass, a case in it must be refused.");
        text.AppendLine("# Regenerate after adding operators (then review the diff):");
        text.AppendLine($"#   {RewriteVariable}=1 dotnet test tests/Inference.Tests -c Release --filter FullyQualifiedName~ConformanceTests");
        text.AppendLine($"# {passed} passed, {refused.Count} refused, {outcomes.Count - passed - refused.Count} wrong, of {outcomes.Count} cases.");
        foreach (var group in refused.GroupBy(o => o.Operator).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine();
            text.AppendLine($"[{group.Key}]");
            foreach (var outcome in group.OrderBy(o => o.Name, StringComparer.Ordinal))
            {
                text.AppendLine($"{outcome.Name}: {outcome.Detail}");
            }
        }

        File.WriteAllText(path, text.ToString());
    }
}
