namespace ConvService.Inference.Operators.Elementwise;

/// <summary>The arithmetic binary operators of ONNX (Add, Sub, Mul, Div), all with numpy broadcasting.</summary>
public enum BinaryKind
{
    Add,
    Sub,
    Mul,
    Div,
}
