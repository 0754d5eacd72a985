using System.Text.Json.Serialization;

namespace ConvService.Contracts.Networks;

/// <summary>One layer of a <see cref="NetworkSpec"/>; the JSON member "type" names the kind.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ConvLayerSpec), "conv")]
[JsonDerivedType(typeof(LocalLayerSpec), "local")]
[JsonDerivedType(typeof(PoolLayerSpec), "pool")]
[JsonDerivedType(typeof(GlobalPoolLayerSpec), "globalpool")]
[JsonDerivedType(typeof(ReluLayerSpec), "relu")]
[JsonDerivedType(typeof(ActivationLayerSpec), "activation")]
[JsonDerivedType(typeof(LrnLayerSpec), "lrn")]
[JsonDerivedType(typeof(BatchNormLayerSpec), "batchnorm")]
[JsonDerivedType(typeof(DropoutLayerSpec), "dropout")]
[JsonDerivedType(typeof(FlattenLayerSpec), "flatten")]
[JsonDerivedType(typeof(FcLayerSpec), "fc")]
[JsonDerivedType(typeof(SoftmaxLayerSpec), "softmax")]
[JsonDerivedType(typeof(InceptionLayerSpec), "inception")]
[JsonDerivedType(typeof(ResidualLayerSpec), "residual")]
[JsonDerivedType(typeof(BranchesLayerSpec), "branches")]
public abstract record LayerSpec
{
    /// <summary>The discriminators above, in order; kept here so error messages can list them.</summary>
    public static readonly IReadOnlyList<string> TypeNames =
    [
        "conv", "local", "pool", "globalpool", "relu", "activation", "lrn", "batchnorm", "dropout", "flatten", "fc",
        "softmax", "inception", "residual", "branches",
    ];

    /// <summary>Optional; defaults to the type and a per-type counter ("conv1", "pool1", ...).</summary>
    public string? Name { get; init; }
}
