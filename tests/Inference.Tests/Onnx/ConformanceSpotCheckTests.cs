using ConvService.Inference.Engine;
using ConvService.Inference.Errors;
using ConvService.Inference.Onnx;
using ConvService.Inference.Tests.TestSupport;
using Xunit.Abstractions;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>
/// ONNX's own test cases of the spatial and data-movement operators, run as issue 9 describes: every case either
/// matches the expected output (rtol 1e-3, atol 1e-5) or is refused at load; none may give a wrong answer.
/// </summary>
public sealed class ConformanceSpotCheckTests(ITestOutputHelper output)
{
    private static readonly string[] Prefixes =
    [
        "test_convtranspose", "test_conv_", "test_basic_conv", "test_resize", "test_upsample", "test_maxpool", "test_averagepool",
        "test_lppool", "test_globallppool", "test_globalmaxpool", "test_slice", "test_gather_", "test_expand", "test_tile",
        "test_constant_pad", "test_edge_pad", "test_reflect_pad", "test_depthtospace", "test_spacetodepth", "test_transpose",
        "test_flatten", "test_squeeze", "test_unsqueeze", "test_reshape", "test_cast_", "test_where", "test_equal",
        "test_less", "test_greater", "test_not", "test_and", "test_or", "test_xor", "test_clip", "test_dropout", "test_identity",
        "test_matmul", "test_gemm", "test_concat", "test_split",
    ];

    [SkippableFact]
    public void EveryCaseMatchesOrIsRefused()
    {
        Skip.IfNot(Directory.Exists(ConformanceCase.NodeFolder), $"{ConformanceCase.NodeFolder} is not installed (apt-get install libonnx-testdata).");

        var options = EngineOptions.Default with { MinOpset = 1, MaxOpset = 22 };
        List<string> passed = [], refused = [], wrong = [];
        foreach (var directory in Directory.GetDirectories(ConformanceCase.NodeFolder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(directory);
            if (!Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) || name.EndsWith("_expanded", StringComparison.Ordinal) || ConformanceCase.Load(directory) is not { } testCase)
            {
                continue;
            }

            float[] actual;
            try
            {
                var compiled = OnnxModel.Load(testCase.Model, options);
                using var session = compiled.CreateSession(testCase.InputShape.Length > 0 ? testCase.InputShape[0] : 1);
                session.Run(testCase.Input);
                actual = session.Output(session.Outputs[0].Name).ToArray();
            }
            catch (ConvServiceException e)
            {
                refused.Add($"{name}: {e.Message}");
                continue;
            }

            var close = actual.Length == testCase.Expected.Length
                && testCase.Expected.Select((e, i) => Math.Abs(e - actual[i]) <= 1e-5 + (1e-3 * Math.Abs(e)) || (float.IsNaN(e) && float.IsNaN(actual[i]))).All(ok => ok);
            (close ? passed : wrong).Add(name);
        }

        output.WriteLine($"{passed.Count} passed, {refused.Count} refused, {wrong.Count} wrong");
        refused.ForEach(output.WriteLine);
        Assert.Empty(wrong);
        Assert.True(passed.Count >= 164, $"only {passed.Count} cases passed (164 did when this test was written)");
    }
}
