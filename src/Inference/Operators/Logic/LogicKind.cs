namespace ConvService.Inference.Operators.Logic;

/// <summary>
/// Comparisons, boolean operators and Where. Booleans live in float32 tensors as 0 and 1: results are exactly 0f or
/// 1f, and an operand counts as true when it is not 0.
/// </summary>
public enum LogicKind
{
    Equal,
    Less,
    Greater,
    LessOrEqual,
    GreaterOrEqual,
    And,
    Or,
    Xor,
    Not,
    Where,
}
