namespace ConvService.Inference.Operators.Pairwise;

/// <summary>The broadcasting two-operand functions of the math operator set (Sum and Mean accumulate with Add).</summary>
public enum PairwiseKind
{
    Add,
    Min,
    Max,
    Pow,
    PRelu,

    /// <summary>ONNX Mod with fmod = 1: the remainder of truncated division, with the dividend's sign (C's fmod).</summary>
    Mod,
}
