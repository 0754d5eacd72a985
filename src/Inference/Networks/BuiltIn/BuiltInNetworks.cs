using ConvService.Contracts.Networks;
using ConvService.Inference.Errors;

namespace ConvService.Inference.Networks.BuiltIn;

/// <summary>The lecture's case-study networks by name. Each call returns a fresh spec, so callers may keep or change it.</summary>
public static class BuiltInNetworks
{
    private static readonly (string Name, Func<NetworkSpec> Create)[] Catalogue =
    [
        ("lenet5", LeNet.LeNet5),
        ("alexnet", AlexNet.Create),
        ("vgg11", Vgg.Vgg11),
        ("vgg11-lrn", Vgg.Vgg11Lrn),
        ("vgg13", Vgg.Vgg13),
        ("vgg16-conv1", Vgg.Vgg16Conv1),
        ("vgg16", Vgg.Vgg16),
        ("vgg19", Vgg.Vgg19),
        ("googlenet", GoogLeNet.Create),
        ("resnet18", ResNet.ResNet18),
        ("resnet34", ResNet.ResNet34),
        ("resnet50", ResNet.ResNet50),
        ("resnet101", ResNet.ResNet101),
        ("resnet152", ResNet.ResNet152),
    ];

    public static IReadOnlyList<string> Names { get; } = Catalogue.Select(c => c.Name).ToArray();

    public static bool TryGet(string name, out NetworkSpec spec)
    {
        foreach (var (known, create) in Catalogue)
        {
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
            {
                spec = create();
                return true;
            }
        }

        spec = null!;
        return false;
    }

    /// <summary>The named spec, or a NotFound refusal listing the known names.</summary>
    public static NetworkSpec Get(string name) => TryGet(name, out var spec)
        ? spec
        : throw new ConvServiceException(ErrorKind.NotFound, "Unknown network",
            $"There is no built-in network \"{name}\". Fix: use one of {string.Join(", ", Names)}, or POST your own spec to /api/networks/report.",
            new Dictionary<string, object?> { ["knownNetworks"] = Names });
}
