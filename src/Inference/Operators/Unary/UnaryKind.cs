namespace ConvService.Inference.Operators.Unary;

/// <summary>The element-wise functions of the math operator set (ONNX names; Gelu's tanh form is its own kind).</summary>
public enum UnaryKind
{
    Exp,
    Log,
    Sqrt,
    Reciprocal,
    Abs,
    Neg,
    Sign,
    Floor,
    Ceil,
    Round,
    Erf,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Asinh,
    Acosh,
    Atanh,
    Square,
    Cube,
    Elu,
    Selu,
    Celu,
    ThresholdedRelu,
    Softplus,
    Softsign,
    Gelu,
    GeluTanh,
    Mish,
    Shrink,

    /// <summary>alpha * x + beta: Mean's final division, and anything else that is a scale and a shift.</summary>
    Affine,

    /// <summary>alpha * exp(x + beta): Softmax's normalised exponentials in one pass.</summary>
    ScaledExp,
}
