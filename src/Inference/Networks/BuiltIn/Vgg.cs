using ConvService.Contracts.Networks;
using static ConvService.Inference.Networks.BuiltIn.Layers;

namespace ConvService.Inference.Networks.BuiltIn;

/// <summary>
/// The VGG configurations A to E of Simonyan and Zisserman's table: 3x3 convs at stride 1 pad 1 (C also has 1x1
/// convs), 2x2 max pools at stride 2, then FC-4096, FC-4096, FC-1000 and softmax.
/// </summary>
internal static class Vgg
{
    /// <summary>Per stage, the conv sizes in order (3 = conv3, 1 = conv1).</summary>
    private static readonly int[][] A = [[3], [3], [3, 3], [3, 3], [3, 3]];
    private static readonly int[][] B = [[3, 3], [3, 3], [3, 3], [3, 3], [3, 3]];
    private static readonly int[][] C = [[3, 3], [3, 3], [3, 3, 1], [3, 3, 1], [3, 3, 1]];
    private static readonly int[][] D = [[3, 3], [3, 3], [3, 3, 3], [3, 3, 3], [3, 3, 3]];
    private static readonly int[][] E = [[3, 3], [3, 3], [3, 3, 3, 3], [3, 3, 3, 3], [3, 3, 3, 3]];
    private static readonly int[] Widths = [64, 128, 256, 512, 512];

    public static NetworkSpec Vgg11() => Create("vgg11", "VGG configuration A: 11 weight layers", A, lrn: false);

    public static NetworkSpec Vgg11Lrn() => Create("vgg11-lrn", "VGG configuration A-LRN: A with local response normalisation after the first conv", A, lrn: true);

    public static NetworkSpec Vgg13() => Create("vgg13", "VGG configuration B: 13 weight layers", B, lrn: false);

    public static NetworkSpec Vgg16Conv1() => Create("vgg16-conv1", "VGG configuration C: 16 weight layers, the third conv of stages 3-5 is 1x1", C, lrn: false);

    public static NetworkSpec Vgg16() => Create("vgg16", "VGG configuration D (VGG-16): 16 weight layers, the lecture's memory and parameter table", D, lrn: false);

    public static NetworkSpec Vgg19() => Create("vgg19", "VGG configuration E (VGG-19): 19 weight layers", E, lrn: false);

    private static NetworkSpec Create(string name, string description, int[][] stages, bool lrn)
    {
        var layers = new List<LayerSpec>();
        for (var s = 0; s < stages.Length; s++)
        {
            for (var c = 0; c < stages[s].Length; c++)
            {
                var size = stages[s][c];
                var id = $"{s + 1}_{c + 1}";
                layers.Add(Conv($"conv{id}", Widths[s], size, padding: size / 2));
                layers.Add(Relu($"relu{id}"));
                if (lrn && s == 0 && c == 0)
                {
                    layers.Add(Lrn("lrn1"));
                }
            }

            layers.Add(MaxPool($"pool{s + 1}", 2, 2));
        }

        layers.AddRange(
        [
            Fc("fc6", 4096), Relu("relu6"), Dropout("drop6", 0.5),
            Fc("fc7", 4096), Relu("relu7"), Dropout("drop7", 0.5),
            Fc("fc8", 1000), Softmax(),
        ]);
        return new NetworkSpec { Name = name, Description = description, Input = [3, 224, 224], Layers = layers };
    }
}
