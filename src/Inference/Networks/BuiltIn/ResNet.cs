using ConvService.Contracts.Networks;
using static ConvService.Inference.Networks.BuiltIn.Layers;

namespace ConvService.Inference.Networks.BuiltIn;

/// <summary>
/// ResNets of He et al.'s table 1, laid out as torchvision builds them: conv and BatchNorm without conv biases,
/// projection shortcuts (1x1 conv + BN) only where the shape changes. The stride-2 layers on even sizes round down
/// (fit floor), as both the paper's Caffe model and PyTorch do.
/// </summary>
internal static class ResNet
{
    public static NetworkSpec ResNet18() => Create("resnet18", ResidualBlockKind.Basic, [2, 2, 2, 2]);

    public static NetworkSpec ResNet34() => Create("resnet34", ResidualBlockKind.Basic, [3, 4, 6, 3]);

    public static NetworkSpec ResNet50() => Create("resnet50", ResidualBlockKind.Bottleneck, [3, 4, 6, 3]);

    public static NetworkSpec ResNet101() => Create("resnet101", ResidualBlockKind.Bottleneck, [3, 4, 23, 3]);

    public static NetworkSpec ResNet152() => Create("resnet152", ResidualBlockKind.Bottleneck, [3, 8, 36, 3]);

    private static NetworkSpec Create(string name, ResidualBlockKind kind, int[] blocks)
    {
        var depth = name["resnet".Length..];
        var layers = new List<LayerSpec>
        {
            Conv("conv1", 64, 7, stride: 2, padding: 3, bias: false), BatchNorm("bn1"), Relu("relu"),
            MaxPool("maxpool", 3, 2, padding: 1),
        };
        int[] widths = [64, 128, 256, 512];
        for (var stage = 0; stage < blocks.Length; stage++)
        {
            for (var b = 0; b < blocks[stage]; b++)
            {
                layers.Add(new ResidualLayerSpec
                {
                    Name = $"layer{stage + 1}.{b}",
                    Block = kind,
                    Filters = widths[stage],
                    Stride = stage > 0 && b == 0 ? 2 : 1,
                });
            }
        }

        layers.Add(new GlobalPoolLayerSpec { Name = "avgpool", Mode = PoolMode.Avg });
        layers.Add(Fc("fc", 1000));
        layers.Add(Softmax());
        var blockText = kind == ResidualBlockKind.Basic ? "basic (two 3x3)" : "bottleneck (1x1, 3x3, 1x1)";
        return new NetworkSpec
        {
            Name = name,
            Description = $"ResNet-{depth} (He et al., 2015): {string.Join("-", blocks)} {blockText} residual blocks",
            Input = [3, 224, 224],
            Fit = FitMode.Floor,
            Layers = layers,
        };
    }
}
