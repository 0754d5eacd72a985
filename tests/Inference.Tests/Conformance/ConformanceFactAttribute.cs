namespace ConvService.Inference.Tests.Conformance;

/// <summary>A fact that is skipped, with the way to install it, when ONNX's test suite is not on this machine.</summary>
public sealed class ConformanceFactAttribute : FactAttribute
{
    public ConformanceFactAttribute()
    {
        if (!ConformanceSuite.IsInstalled)
        {
            Skip = $"ONNX's backend test suite is not installed under {ConformanceSuite.Root}; run `apt-get install libonnx-testdata`.";
        }
    }
}
