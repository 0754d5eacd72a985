using ConvService.Inference.Serving.Descriptors;

namespace ConvService.Inference.Classifiers;

/// <summary>
/// The feature graph (ending in <see cref="Output"/>, [N, D]), the descriptor and files serving needs, and the
/// training images' features with their class indices (into the sorted <see cref="Labels"/>).
/// </summary>
public sealed record ExtractedFeatures(
    GraphAppender Graph,
    string Output,
    ModelDescriptor Descriptor,
    IReadOnlyDictionary<string, byte[]> Files,
    float[][] Rows,
    int[] ClassOf,
    IReadOnlyList<string> Labels,
    double Milliseconds);
