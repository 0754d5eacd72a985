namespace ConvService.Inference.Classifiers;

/// <summary>What a classifier describes an image by.</summary>
public static class FeatureKinds
{
    /// <summary>The packaged ImageNet ResNet-18's 512 pooled features, L2-normalised.</summary>
    public const string ResNet18 = "resnet18";

    /// <summary>Maximum Response 8: mean and standard deviation of each of the 8 responses.</summary>
    public const string Mr8 = "mr8";

    /// <summary>Leung-Malik: mean and standard deviation of each of the 48 responses.</summary>
    public const string LeungMalik = "lm";

    /// <summary>Schmid: mean and standard deviation of each of the 13 responses.</summary>
    public const string Schmid = "s";

    /// <summary>Varma-Zisserman textons: k-means centres of MR8 responses, each image a histogram of them.</summary>
    public const string Textons = "textons";

    public static IReadOnlyList<string> All { get; } = [ResNet18, Mr8, LeungMalik, Schmid, Textons];

    public static bool IsFilterBank(string kind) => kind is Mr8 or LeungMalik or Schmid or Textons;
}
