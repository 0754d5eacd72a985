using ConvService.Inference.Serving.Descriptors;

namespace ConvService.Inference.Classifiers;

/// <summary>A classifier ready for the model repository: the ONNX file, its model.json and the files it names.</summary>
public sealed record TrainedClassifier(byte[] Onnx, ModelDescriptor Descriptor, IReadOnlyDictionary<string, byte[]> Files, TrainingReport Report);
