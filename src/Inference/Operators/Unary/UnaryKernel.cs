using ConvService.Inference.Simd;
using static ConvService.Inference.Operators.Unary.UnaryOperators;

namespace ConvService.Inference.Operators.Unary;

/// <summary>Element-wise functions over a span (in place allowed): one switch on the kind, then one specialised loop.</summary>
public static class UnaryKernel
{
    public static void Apply(ReadOnlySpan<float> source, Span<float> destination, UnaryFunction function, SimdLevel level)
    {
        var a = function.Alpha;
        var b = function.Beta;
        switch (function.Kind)
        {
            case UnaryKind.Exp: UnaryDriver.Run(source, destination, default(ExpOperator), level); break;
            case UnaryKind.Log: UnaryDriver.Run(source, destination, default(LogOperator), level); break;
            case UnaryKind.Sqrt: UnaryDriver.Run(source, destination, default(SqrtOperator), level); break;
            case UnaryKind.Reciprocal: UnaryDriver.Run(source, destination, default(ReciprocalOperator), level); break;
            case UnaryKind.Abs: UnaryDriver.Run(source, destination, default(AbsOperator), level); break;
            case UnaryKind.Neg: UnaryDriver.Run(source, destination, default(NegOperator), level); break;
            case UnaryKind.Sign: UnaryDriver.Run(source, destination, default(SignOperator), level); break;
            case UnaryKind.Floor: UnaryDriver.Run(source, destination, default(FloorOperator), level); break;
            case UnaryKind.Ceil: UnaryDriver.Run(source, destination, default(CeilOperator), level); break;
            case UnaryKind.Round: UnaryDriver.Run(source, destination, default(RoundOperator), level); break;
            case UnaryKind.Erf: UnaryDriver.Run(source, destination, default(ErfOperator), level); break;
            case UnaryKind.Sin: UnaryDriver.Run(source, destination, default(SinOperator), level); break;
            case UnaryKind.Cos: UnaryDriver.Run(source, destination, default(CosOperator), level); break;
            case UnaryKind.Square: UnaryDriver.Run(source, destination, default(SquareOperator), level); break;
            case UnaryKind.Cube: UnaryDriver.Run(source, destination, default(CubeOperator), level); break;
            case UnaryKind.Elu: UnaryDriver.Run(source, destination, new EluOperator(a), level); break;
            case UnaryKind.Selu: UnaryDriver.Run(source, destination, new SeluOperator(a, b), level); break;
            case UnaryKind.Celu: UnaryDriver.Run(source, destination, new CeluOperator(a), level); break;
            case UnaryKind.ThresholdedRelu: UnaryDriver.Run(source, destination, new ThresholdedReluOperator(a), level); break;
            case UnaryKind.Softplus: UnaryDriver.Run(source, destination, default(SoftplusOperator), level); break;
            case UnaryKind.Softsign: UnaryDriver.Run(source, destination, default(SoftsignOperator), level); break;
            case UnaryKind.Gelu: UnaryDriver.Run(source, destination, default(GeluOperator), level); break;
            case UnaryKind.GeluTanh: UnaryDriver.Run(source, destination, default(GeluTanhOperator), level); break;
            case UnaryKind.Mish: UnaryDriver.Run(source, destination, default(MishOperator), level); break;
            case UnaryKind.Shrink: UnaryDriver.Run(source, destination, new ShrinkOperator(a, b), level); break;
            case UnaryKind.Affine: UnaryDriver.Run(source, destination, new AffineOperator(a, b), level); break;
            case UnaryKind.ScaledExp: UnaryDriver.Run(source, destination, new ScaledExpOperator(a, b), level); break;
            case UnaryKind.Tan: UnaryDriver.Run(source, destination, default(TanOperator), level); break;
            case UnaryKind.Asin: UnaryDriver.Run(source, destination, default(AsinOperator), level); break;
            case UnaryKind.Acos: UnaryDriver.Run(source, destination, default(AcosOperator), level); break;
            case UnaryKind.Atan: UnaryDriver.Run(source, destination, default(AtanOperator), level); break;
            case UnaryKind.Sinh: UnaryDriver.Run(source, destination, default(SinhOperator), level); break;
            case UnaryKind.Cosh: UnaryDriver.Run(source, destination, default(CoshOperator), level); break;
            case UnaryKind.Asinh: UnaryDriver.Run(source, destination, default(AsinhOperator), level); break;
            case UnaryKind.Acosh: UnaryDriver.Run(source, destination, default(AcoshOperator), level); break;
            case UnaryKind.Atanh: UnaryDriver.Run(source, destination, default(AtanhOperator), level); break;
            default: throw new ArgumentOutOfRangeException(nameof(function), function.Kind, "unknown function");
        }
    }

    /// <summary>The plain scalar definition of the whole span.</summary>
    public static void Reference(ReadOnlySpan<float> source, Span<float> destination, UnaryFunction function)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = ApplyOne(function, source[i]);
        }
    }

    internal static float ApplyOne(UnaryFunction function, float x)
    {
        var a = function.Alpha;
        var b = function.Beta;
        return function.Kind switch
        {
            UnaryKind.Exp => default(ExpOperator).Invoke(x),
            UnaryKind.Log => default(LogOperator).Invoke(x),
            UnaryKind.Sqrt => default(SqrtOperator).Invoke(x),
            UnaryKind.Reciprocal => default(ReciprocalOperator).Invoke(x),
            UnaryKind.Abs => default(AbsOperator).Invoke(x),
            UnaryKind.Neg => default(NegOperator).Invoke(x),
            UnaryKind.Sign => default(SignOperator).Invoke(x),
            UnaryKind.Floor => default(FloorOperator).Invoke(x),
            UnaryKind.Ceil => default(CeilOperator).Invoke(x),
            UnaryKind.Round => default(RoundOperator).Invoke(x),
            UnaryKind.Erf => default(ErfOperator).Invoke(x),
            UnaryKind.Sin => default(SinOperator).Invoke(x),
            UnaryKind.Cos => default(CosOperator).Invoke(x),
            UnaryKind.Square => default(SquareOperator).Invoke(x),
            UnaryKind.Cube => default(CubeOperator).Invoke(x),
            UnaryKind.Elu => new EluOperator(a).Invoke(x),
            UnaryKind.Selu => new SeluOperator(a, b).Invoke(x),
            UnaryKind.Celu => new CeluOperator(a).Invoke(x),
            UnaryKind.ThresholdedRelu => new ThresholdedReluOperator(a).Invoke(x),
            UnaryKind.Softplus => default(SoftplusOperator).Invoke(x),
            UnaryKind.Softsign => default(SoftsignOperator).Invoke(x),
            UnaryKind.Gelu => default(GeluOperator).Invoke(x),
            UnaryKind.GeluTanh => default(GeluTanhOperator).Invoke(x),
            UnaryKind.Mish => default(MishOperator).Invoke(x),
            UnaryKind.Shrink => new ShrinkOperator(a, b).Invoke(x),
            UnaryKind.Affine => new AffineOperator(a, b).Invoke(x),
            UnaryKind.ScaledExp => new ScaledExpOperator(a, b).Invoke(x),
            UnaryKind.Tan => default(TanOperator).Invoke(x),
            UnaryKind.Asin => default(AsinOperator).Invoke(x),
            UnaryKind.Acos => default(AcosOperator).Invoke(x),
            UnaryKind.Atan => default(AtanOperator).Invoke(x),
            UnaryKind.Sinh => default(SinhOperator).Invoke(x),
            UnaryKind.Cosh => default(CoshOperator).Invoke(x),
            UnaryKind.Asinh => default(AsinhOperator).Invoke(x),
            UnaryKind.Acosh => default(AcoshOperator).Invoke(x),
            UnaryKind.Atanh => default(AtanhOperator).Invoke(x),
            _ => throw new ArgumentOutOfRangeException(nameof(function), function.Kind, "unknown function"),
        };
    }
}
