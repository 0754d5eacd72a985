using ConvService.Contracts.Networks;
using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Networks;

namespace ConvService.Inference.Tests.Networks;

/// <summary>For random valid conv/pool stacks the reported shapes equal an independent walk with <see cref="ConvGeometry"/>.</summary>
public sealed class ShapeWalkPropertyTests
{
    [Fact]
    public void TwoHundredRandomStacksMatchConvGeometry()
    {
        var random = new Random(20_240_611);
        for (var trial = 0; trial < 200; trial++)
        {
            var (spec, expected) = RandomStack(random);
            var report = NetworkAnalyzer.Analyze(spec, new NetworkOptions(FitMode.Floor));
            var rows = report.Layers.Skip(1).ToList();
            Assert.Equal(expected.Count, rows.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.True(expected[i].SequenceEqual(rows[i].OutputDims), $"trial {trial}, layer {i}: expected [{string.Join(",", expected[i])}], got [{string.Join(",", rows[i].OutputDims)}]");
            }
        }
    }

    [Fact]
    public void ExactFitAcceptsExactlyTheStacksWhoseDivisionsAreWhole()
    {
        var random = new Random(7);
        var accepted = 0;
        for (var trial = 0; trial < 200; trial++)
        {
            var (spec, _) = RandomStack(random);
            var whole = spec.Layers.Aggregate((Ok: true, H: spec.Input[1], W: spec.Input[2]), (state, layer) =>
            {
                var g = Geometry(layer, 1, state.H, state.W);
                var remH = (state.H + g.PadTop + g.PadBottom - (g.DilationH * (g.KernelHeight - 1) + 1)) % g.StrideH;
                var remW = (state.W + g.PadLeft + g.PadRight - (g.DilationW * (g.KernelWidth - 1) + 1)) % g.StrideW;
                return (state.Ok && remH == 0 && remW == 0, g.OutHeight, g.OutWidth);
            }).Ok;
            var threw = Record.Exception(() => NetworkAnalyzer.Analyze(spec)) is not null;
            Assert.Equal(!whole, threw);
            accepted += whole ? 1 : 0;
        }

        Assert.InRange(accepted, 1, 199); // both outcomes occur, so the test can fail either way
    }

    private static (NetworkSpec Spec, List<int[]> Expected) RandomStack(Random random)
    {
        int channels = random.Next(1, 9), height = random.Next(8, 65), width = random.Next(8, 65);
        int[] input = [channels, height, width];
        var layers = new List<LayerSpec>();
        var expected = new List<int[]>();
        var count = random.Next(1, 7);
        for (var i = 0; i < count; i++)
        {
            var layer = RandomLayer(random, channels);
            var g = Geometry(layer, channels, height, width);
            if (height + g.PadTop + g.PadBottom < g.DilationH * (g.KernelHeight - 1) + 1 ||
                width + g.PadLeft + g.PadRight < g.DilationW * (g.KernelWidth - 1) + 1)
            {
                break; // the next layer would not fit at all; the stack ends here
            }

            layers.Add(layer);
            (channels, height, width) = (g.OutChannels, g.OutHeight, g.OutWidth);
            expected.Add([channels, height, width]);
        }

        return (new NetworkSpec { Input = input, Layers = layers }, expected);
    }

    private static LayerSpec RandomLayer(Random random, int channels)
    {
        int fh = random.Next(1, 6), fw = random.Next(1, 6), sh = random.Next(1, 4), sw = random.Next(1, 4);
        if (random.Next(3) == 0)
        {
            return new PoolLayerSpec
            {
                Mode = random.Next(2) == 0 ? PoolMode.Max : PoolMode.Avg,
                Size = new Extent2(fh, fw),
                Stride = new Extent2(sh, sw),
                Padding = new PaddingSpec(PaddingMode.Explicit, random.Next(fh / 2 + 1), random.Next(fw / 2 + 1), random.Next(fh / 2 + 1), random.Next(fw / 2 + 1)),
            };
        }

        var groups = channels % 2 == 0 && random.Next(3) == 0 ? 2 : 1;
        return new ConvLayerSpec
        {
            Filters = groups * random.Next(1, 9),
            Size = new Extent2(fh, fw),
            Stride = new Extent2(sh, sw),
            Padding = new PaddingSpec(PaddingMode.Explicit, random.Next(3), random.Next(3), random.Next(3), random.Next(3)),
            Dilation = new Extent2(random.Next(1, 3), random.Next(1, 3)),
            Groups = groups,
        };
    }

    private static ConvGeometry Geometry(LayerSpec layer, int channels, int height, int width) => layer switch
    {
        ConvLayerSpec c => new ConvGeometry(channels, height, width, c.Filters, c.Size.Height, c.Size.Width, c.Stride.Height, c.Stride.Width,
            c.Padding.Top, c.Padding.Left, c.Padding.Bottom, c.Padding.Right, c.Dilation.Height, c.Dilation.Width, c.Groups),
        PoolLayerSpec p => new ConvGeometry(channels, height, width, channels, p.Size.Height, p.Size.Width, p.Stride!.Value.Height, p.Stride.Value.Width,
            p.Padding.Top, p.Padding.Left, p.Padding.Bottom, p.Padding.Right),
        _ => throw new InvalidOperationException(),
    };
}
