using System.Runtime.CompilerServices;
using Xunit.Abstractions;

namespace ConvService.Inference.Tests.Conformance;

/// <summary>
/// ONNX's own backend test suite as one test: every case with float inputs and one float output (inputs after the
/// first as initializers) must match its expected output, unless expected-refusals.txt lists it, in which case the
/// engine must refuse it. A listed case that starts passing fails too, so the list only ever shrinks on purpose.
/// </summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    /// <summary>The selection's size in libonnx-testdata 1.12.</summary>
    private const int SelectedCases = 631;

    [ConformanceFact]
    public void EveryCaseMatchesOrIsAnExpectedRefusal()
    {
        var cases = ConformanceSuite.CaseDirectories()
            .Select(c => ConformanceCase.TryRead(c.Name, c.Directory))
            .OfType<ConformanceCase>()
            .ToList();
        Assert.Equal(SelectedCases, cases.Count);

        var outcomes = cases.Select(ConformanceRunner.Run).ToList();
        var passed = outcomes.Count(o => o.Verdict == CaseVerdict.Passed);
        var refused = outcomes.Count(o => o.Verdict == CaseVerdict.Refused);
        output.WriteLine($"{passed} passed, {refused} refused, {outcomes.Count - passed - refused} wrong, of {outcomes.Count} cases.");

        var listPath = Path.Combine(AppContext.BaseDirectory, "Conformance", ExpectedRefusals.FileName);
        if (Environment.GetEnvironmentVariable(ExpectedRefusals.RewriteVariable) == "1")
        {
            listPath = SourceListPath();
            ExpectedRefusals.Write(listPath, outcomes);
        }

        var expected = ExpectedRefusals.Read(listPath);
        var failures = new List<string>();
        foreach (var outcome in outcomes)
        {
            var listed = expected.ContainsKey(outcome.Name);
            switch (outcome.Verdict)
            {
                case CaseVerdict.Wrong:
                    failures.Add($"{outcome.Name} gives a wrong answer: {outcome.Detail}");
                    break;
                case CaseVerdict.Refused when !listed:
                    failures.Add($"{outcome.Name} is refused but not listed as expected: {outcome.Detail}");
                    break;
                case CaseVerdict.Passed when listed:
                    failures.Add($"{outcome.Name} now passes: remove it from {ExpectedRefusals.FileName}");
                    break;
            }
        }

        var unknown = expected.Keys.Except(outcomes.Select(o => o.Name)).ToList();
        failures.AddRange(unknown.Select(n => $"{n} is listed in {ExpectedRefusals.FileName} but is not a selected case"));
        Assert.True(failures.Count == 0, $"{failures.Count} conformance failure(s):\n" + string.Join("\n", failures));
    }

    /// <summary>The list in the source tree (the copy next to the test assembly is only read).</summary>
    private static string SourceListPath([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, ExpectedRefusals.FileName);
}
