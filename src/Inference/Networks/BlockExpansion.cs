using ConvService.Contracts.Networks;

namespace ConvService.Inference.Networks;

/// <summary>
/// Writes inception and residual blocks out as branches of plain layers, named as the reference models name them
/// (the shape walk uses the same expansion, so an engine that builds layers from it matches the report row for row).
/// </summary>
public static class BlockExpansion
{
    public static ExpandedBlock Inception(InceptionLayerSpec spec, string block)
    {
        var branches = new List<IReadOnlyList<LayerSpec>>();
        if (spec.OneByOne > 0)
        {
            branches.Add([Conv(block, "1x1", spec.OneByOne, 1, 1, 0, bias: true), Relu(block, "relu_1x1")]);
        }

        AddReducedBranch(branches, block, "3x3", spec.ThreeByThreeReduce, spec.ThreeByThree, 3);
        AddReducedBranch(branches, block, "5x5", spec.FiveByFiveReduce, spec.FiveByFive, 5);

        var pool = new List<LayerSpec> { new PoolLayerSpec { Name = $"{block}/pool", Size = 3, Stride = 1, Padding = 1 } };
        if (spec.PoolProjection > 0)
        {
            pool.Add(Conv(block, "pool_proj", spec.PoolProjection, 1, 1, 0, bias: true));
            pool.Add(Relu(block, "relu_pool_proj"));
        }

        branches.Add(pool);
        return new ExpandedBlock(branches, MergeMode.Concat, []);
    }

    public static ExpandedBlock Residual(ResidualLayerSpec spec, string block, int inChannels, ResNetVariant variant)
    {
        var expansion = spec.Expansion ?? (spec.Block == ResidualBlockKind.Bottleneck ? 4 : 1);
        var outChannels = checked(spec.Filters * expansion);
        List<LayerSpec> main;
        if (spec.Block == ResidualBlockKind.Basic)
        {
            main =
            [
                Conv(block, "conv1", spec.Filters, 3, spec.Stride, 1, bias: false), Bn(block, "bn1"), Relu(block, "relu1"),
                Conv(block, "conv2", outChannels, 3, 1, 1, bias: false), Bn(block, "bn2"),
            ];
        }
        else
        {
            // The paper strides the first 1x1 conv; torchvision's v1.5 strides the 3x3 (more multiply-adds, better accuracy).
            var (strideReduce, strideMiddle) = variant == ResNetVariant.Paper ? (spec.Stride, 1) : (1, spec.Stride);
            main =
            [
                Conv(block, "conv1", spec.Filters, 1, strideReduce, 0, bias: false), Bn(block, "bn1"), Relu(block, "relu1"),
                Conv(block, "conv2", spec.Filters, 3, strideMiddle, 1, bias: false), Bn(block, "bn2"), Relu(block, "relu2"),
                Conv(block, "conv3", outChannels, 1, 1, 0, bias: false), Bn(block, "bn3"),
            ];
        }

        var project = spec.Projection ?? (spec.Stride != 1 || inChannels != outChannels);
        IReadOnlyList<LayerSpec> shortcut = project
            ? [Conv(block, "downsample.conv", outChannels, 1, spec.Stride, 0, bias: false), Bn(block, "downsample.bn")]
            : [];
        return new ExpandedBlock([main, shortcut], MergeMode.Add, [Relu(block, "relu")]);
    }

    private static void AddReducedBranch(List<IReadOnlyList<LayerSpec>> branches, string block, string label, int reduce, int filters, int size)
    {
        if (filters <= 0)
        {
            return;
        }

        var branch = new List<LayerSpec>();
        if (reduce > 0)
        {
            branch.Add(Conv(block, $"{label}_reduce", reduce, 1, 1, 0, bias: true));
            branch.Add(Relu(block, $"relu_{label}_reduce"));
        }

        branch.Add(Conv(block, label, filters, size, 1, size / 2, bias: true));
        branch.Add(Relu(block, $"relu_{label}"));
        branches.Add(branch);
    }

    private static ConvLayerSpec Conv(string block, string name, int filters, int size, int stride, int padding, bool bias) => new()
    {
        Name = $"{block}/{name}",
        Filters = filters,
        Size = size,
        Stride = stride,
        Padding = padding,
        Bias = bias,
    };

    private static BatchNormLayerSpec Bn(string block, string name) => new() { Name = $"{block}/{name}" };

    private static ReluLayerSpec Relu(string block, string name) => new() { Name = $"{block}/{name}" };
}
