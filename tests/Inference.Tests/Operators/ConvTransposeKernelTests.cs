using ConvService.Inference.Operators.ConvTranspose;
using ConvService.Inference.Operators.VolumeConv;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Operators;

/// <summary>ConvTranspose through GEMM and col2im, at every SIMD level, against the scatter-everything reference.</summary>
public sealed class ConvTransposeKernelTests
{
    public static TheoryData<SimdLevel, string> Cases()
    {
        var data = new TheoryData<SimdLevel, string>();
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            // in/out channels, groups, input size, kernel, stride, dilation, pad (every axis alike unless 1-D).
            foreach (var spec in new[] { "4 6 1 1x7x9 3 1 1 1", "4 6 1 1x7x9 4 2 1 1", "6 4 2 1x5x6 3 2 2 0", "8 8 8 1x9x17 3 1 1 1", "3 5 1 1x1x33 5 3 1 2", "4 4 2 3x4x5 3 2 1 1", "2 3 1 1x1x40 1 1 1 0" })
            {
                data.Add(level, spec);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void MatchesTheReference(SimdLevel level, string spec)
    {
        SimdLevels.Require(level);
        var v = spec.Split(' ');
        int inChannels = int.Parse(v[0]), outChannels = int.Parse(v[1]), groups = int.Parse(v[2]);
        var inSize = v[3].Split('x').Select(int.Parse).ToArray();
        int k = int.Parse(v[4]), s = int.Parse(v[5]), d = int.Parse(v[6]), p = int.Parse(v[7]);
        int[] kernel = inSize.Select(n => n == 1 ? 1 : k).ToArray();
        int[] strides = inSize.Select(n => n == 1 ? 1 : s).ToArray();
        int[] dilations = inSize.Select(n => n == 1 ? 1 : d).ToArray();
        int[] pads = inSize.Select(n => n == 1 ? 0 : p).ToArray();
        var outSize = inSize.Select((n, i) => ((n - 1) * strides[i]) + ((kernel[i] - 1) * dilations[i]) + 1 - (2 * pads[i]) + (n == 1 ? 0 : 1)).ToArray();
        var g = new VolumeConvGeometry(inChannels, outChannels, groups, inSize, outSize, kernel, strides, dilations, pads);
        const int batch = 2;
        var input = Accuracy.Random(batch * inChannels * g.InPlane, seed: 11);
        var weights = Accuracy.Random(inChannels * g.OutChannelsPerGroup * g.KernelElements, seed: 12);
        var bias = Accuracy.Random(outChannels, seed: 13);
        var expected = new float[batch * outChannels * g.OutPlane];
        var actual = new float[expected.Length];
        ConvTransposeReference.Run(g, input, weights, bias, expected, batch);

        var kernelPlan = new ConvTransposeKernel(g, weights, bias);
        kernelPlan.Run(input, actual, batch, new float[kernelPlan.ScratchFloats], degreeOfParallelism: 2, level);
        Accuracy.AssertClose(expected, actual, 1e-5);

        // Blocks of a few channels (a last block shorter than the rest), on one worker and on three.
        foreach (var threads in new[] { 1, 3 })
        {
            var blocked = new ConvTransposeKernel(g, weights, bias, blockChannels: 2);
            var blockedActual = new float[expected.Length];
            blocked.Run(input, blockedActual, batch, new float[blocked.BlockScratchFloats * 3], threads, level);
            Accuracy.AssertClose(expected, blockedActual, 1e-5);
        }
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector512)]
    public void AddToEveryOtherCoversEveryLength(SimdLevel level)
    {
        SimdLevels.Require(level);
        for (var length = 0; length <= 70; length++)
        {
            var span = Math.Max(0, (2 * length) - 1);
            var source = Accuracy.Random(length, seed: length);
            var destination = Accuracy.Random(span + 3, seed: length + 100);
            destination[Math.Min(1, span)] = -0f;
            var expected = (float[])destination.Clone();
            for (var i = 0; i < length; i++)
            {
                expected[2 * i] += source[i];
            }

            ColumnScatter.AddToEveryOther(source, destination.AsSpan(0, span), level);
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), destination.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector128)]
    [InlineData(SimdLevel.Vector512)]
    public void AddToCoversEveryLength(SimdLevel level)
    {
        SimdLevels.Require(level);
        for (var length = 0; length <= 70; length++)
        {
            var source = Accuracy.Random(length, seed: length);
            var destination = Accuracy.Random(length + 3, seed: length + 100);
            var expected = (float[])destination.Clone();
            for (var i = 0; i < length; i++)
            {
                expected[i] += source[i];
            }

            ColumnScatter.AddTo(source, destination.AsSpan(0, length), level);
            Assert.Equal(expected, destination);
        }
    }
}
