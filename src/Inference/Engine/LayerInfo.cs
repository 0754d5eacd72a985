namespace ConvService.Inference.Engine;

/// <summary>
/// One layer of a compiled model as the caller sees it: the ONNX node name, its op type ("Conv+BatchNormalization+Relu"
/// when nodes were fused into it), its output shape and how many weights it holds.
/// </summary>
public sealed record LayerInfo(string Name, string OpType, IReadOnlyList<int> OutputShape, long ParameterCount, IReadOnlyList<string> FusedNodeNames);
