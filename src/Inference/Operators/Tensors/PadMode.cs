namespace ConvService.Inference.Operators.Tensors;

/// <summary>How ONNX Pad fills the border.</summary>
public enum PadMode
{
    Constant,
    Reflect,
    Edge,
}
