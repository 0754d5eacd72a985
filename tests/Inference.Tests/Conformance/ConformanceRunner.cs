using System.Text.RegularExpressions;
using ConvService.Inference.Errors;
using ConvService.Inference.Onnx;

namespace ConvService.Inference.Tests.Conformance;

/// <summary>Runs one conformance case through the engine and judges it within rtol 1e-3 and atol 1e-5.</summary>
internal static partial class ConformanceRunner
{
    public const double RelativeTolerance = 1e-3;
    public const double AbsoluteTolerance = 1e-5;

    public static CaseOutcome Run(ConformanceCase testCase)
    {
        try
        {
            var model = OnnxModel.Load(testCase.Model);
            using var session = model.CreateSession([testCase.Input.Dims]);
            session.Run(testCase.Input.Floats);
            var output = session.Outputs[0];
            var actual = session.Output(output.Name);
            var mismatch = Compare(testCase.Expected.Dims, testCase.Expected.Floats!, output.Shape, actual);
            return mismatch is null
                ? new CaseOutcome(testCase.Name, CaseVerdict.Passed, string.Empty)
                : new CaseOutcome(testCase.Name, CaseVerdict.Wrong, mismatch);
        }
        catch (ConvServiceException e)
        {
            return new CaseOutcome(testCase.Name, CaseVerdict.Refused, Reason(e));
        }
        catch (Exception e)
        {
            return new CaseOutcome(testCase.Name, CaseVerdict.Wrong, $"crashed with {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Null when the output matches: same shape, every element within atol + rtol * |expected| (NaN matches NaN).</summary>
    public static string? Compare(int[] expectedShape, float[] expected, IReadOnlyList<int> actualShape, ReadOnlySpan<float> actual)
    {
        if (!expectedShape.SequenceEqual(actualShape))
        {
            return $"output shape [{string.Join(", ", actualShape)}], expected [{string.Join(", ", expectedShape)}]";
        }

        if (actual.Length != expected.Length)
        {
            return $"{actual.Length} output values, expected {expected.Length}";
        }

        for (var i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            var close = double.IsNaN(e) ? double.IsNaN(a) : e == a || Math.Abs(a - e) <= AbsoluteTolerance + RelativeTolerance * Math.Abs(e);
            if (!close)
            {
                return $"output[{i}] = {a:R}, expected {e:R}";
            }
        }

        return null;
    }

    /// <summary>The first sentence of each problem: what is refused, without the advice that follows.</summary>
    public static string Reason(ConvServiceException e)
    {
        var problems = e.Extensions.TryGetValue("problems", out var list) && list is string[] items ? items : [e.Message];
        return string.Join(" | ", problems.Select(p => FirstSentence().Match(p) is { Success: true } m ? m.Value : p))
            .ReplaceLineEndings(" ").Trim();
    }

    [GeneratedRegex(@"^.*?\.(?=\s+[A-Z(]|\s*$)", RegexOptions.Singleline)]
    private static partial Regex FirstSentence();
}
