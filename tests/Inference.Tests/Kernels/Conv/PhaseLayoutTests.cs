using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Kernels.Conv;

/// <summary>
/// The stride-2 and stride-4 phase rows (the direct kernels' stride-2 layers, Winograd's 2x2 and 4x4 tiles), which the
/// vector levels deinterleave with permutes, shuffles and masked loads, checked against their definition: phase
/// (ry, rx) at (i, j) holds padded pixel (s*i + ry, s*j + rx), zero in the padding.
/// </summary>
public sealed unsafe class PhaseLayoutTests
{
    public static TheoryData<SimdLevel, int, int, int, int> Cases()
    {
        var data = new TheoryData<SimdLevel, int, int, int, int>();
        foreach (var level in SimdLevels.All)
        {
            // A kernel of stride + 2 stores every phase; a 3x3 kernel at stride 4 stores 9 of the 16 (at Vector512 a
            // source row's stored phases are filled together, the others skipped).
            foreach (var (stride, kernel) in new[] { (2, 4), (4, 6), (4, 3) })
            {
                // Widths below, at and past one and two vectors of each level, with the left pad shifting the phases.
                foreach (var width in new[] { 1, 7, 14, 17, 28, 33, 56, 70 })
                {
                    foreach (var padLeft in new[] { 0, 1, 3 })
                    {
                        data.Add(level, stride, kernel, width, padLeft);
                    }
                }
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void PhasesHoldThePaddedPixels(SimdLevel level, int stride, int kernel, int width, int padLeft)
    {
        SimdLevels.Require(level);
        var g = new ConvGeometry(3, 9, width, 4, kernel, kernel, stride, stride, 1, padLeft, 2, padLeft + 1);
        var layout = new PhaseLayout(g, g.InChannels, level);
        var input = KernelTestData.Uniform(width * 10 + padLeft, g.InputSize);
        var filled = new float[layout.Floats];
        Array.Fill(filled, float.NaN);
        fixed (float* source = input, dest = filled)
        {
            layout.Fill(source, dest, 0, g.InChannels, 0);
        }

        for (var c = 0; c < g.InChannels; c++)
        {
            for (var ry = 0; ry < Math.Min(stride, kernel); ry++)
            {
                for (var rx = 0; rx < Math.Min(stride, kernel); rx++)
                {
                    var phase = c * layout.ChannelFloats + layout.TapOffset(ry, rx);
                    for (var i = 0; i < layout.PhaseHeight; i++)
                    {
                        for (var j = 0; j < layout.PhaseWidth; j++)
                        {
                            int y = stride * i + ry - g.PadTop, x = stride * j + rx - g.PadLeft;
                            var expected = (uint)y < (uint)g.InHeight && (uint)x < (uint)g.InWidth ? input[(c * g.InHeight + y) * g.InWidth + x] : 0f;
                            Assert.True(
                                expected.Equals(filled[phase + i * layout.PhaseWidth + j]),
                                $"{level}, stride {stride}, kernel {kernel}, width {width}, pad {padLeft}: channel {c}, phase ({ry}, {rx}), ({i}, {j}) holds {filled[phase + i * layout.PhaseWidth + j]}, expected {expected}");
                        }
                    }
                }
            }
        }
    }
}
