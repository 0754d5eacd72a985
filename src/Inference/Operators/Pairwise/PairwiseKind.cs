namespace ConvService.Inference.Operators.Pairwise;

/// <summary>The broadcasting two-operand functions of the math operator set (Sum and Mean accumulate with Add).</summary>
public enum PairwiseKind
{
    Add,
    Min,
    Max,
    Pow,
    PRelu,
}
