namespace ConvService.Inference.Operators.Reduction;

/// <summary>The ONNX Reduce operators, named without their prefix.</summary>
public enum ReductionKind
{
    Sum,
    Mean,
    Max,
    Min,
    Prod,
    L1,
    L2,
    LogSum,
    LogSumExp,
    SumSquare,
}
