using ConvService.Inference.Serving.Descriptors;

namespace ConvService.Inference.Classifiers;

/// <summary>
/// The packaged feature network resnet18 classifiers are built on: its ONNX file, its descriptor (input and
/// preprocessing) and the preprocessing graph that descriptor names, if any.
/// </summary>
public sealed record FeatureNetwork(byte[] Onnx, ModelDescriptor Descriptor, byte[]? PreprocessingGraph);
