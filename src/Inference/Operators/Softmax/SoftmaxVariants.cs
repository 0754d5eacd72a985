using ConvService.Inference.Operators.Reduction;
using ConvService.Inference.Operators.Unary;
using ConvService.Inference.Simd;
using static ConvService.Inference.Operators.Pairwise.PairwiseOperators;
using static ConvService.Inference.Operators.Reduction.ElementMaps;

namespace ConvService.Inference.Operators.Softmax;

/// <summary>
/// LogSoftmax and Hardmax over the middle axis of an [outer, axis, inner] view (the opset-13 form; the older
/// coerce-to-2-D form is inner == 1 with the axis spanning every trailing dimension, as for Softmax). Contiguous
/// rows run vectorised, exp included; strided ones run the scalar definition.
/// </summary>
public static class SoftmaxVariants
{
    /// <summary>Softmax itself lives in <see cref="SoftmaxKernel"/>; this keeps the three variants side by side.</summary>
    public static void Softmax(ReadOnlySpan<float> input, Span<float> output, int outer, int axis, int inner, SimdLevel level) =>
        SoftmaxKernel.Run(input, output, outer, axis, inner, level);

    /// <summary>x - max - log(sum(exp(x - max))) along the axis.</summary>
    public static void LogSoftmax(ReadOnlySpan<float> input, Span<float> output, int outer, int axis, int inner, SimdLevel level)
    {
        if (inner != 1 || SimdCapabilities.Require(level) == SimdLevel.Scalar)
        {
            LogSoftmaxReference(input, output, outer, axis, inner);
            return;
        }

        for (var o = 0; o < outer; o++)
        {
            var row = input.Slice(o * axis, axis);
            var max = RowReduction.Reduce<Unchanged, MaxOperator>(row, 0f, level);
            var shift = float.IsFinite(max) ? max : 0f;
            var sum = RowReduction.Reduce<ShiftedExp, AddOperator>(row, shift, level);
            UnaryKernel.Apply(row, output.Slice(o * axis, axis), new UnaryFunction(UnaryKind.Affine, 1f, -(shift + MathF.Log(sum))), level);
        }
    }

    public static void LogSoftmaxReference(ReadOnlySpan<float> input, Span<float> output, int outer, int axis, int inner)
    {
        for (var o = 0; o < outer; o++)
        {
            for (var i = 0; i < inner; i++)
            {
                var start = (o * axis * inner) + i;
                var max = float.NegativeInfinity;
                for (var a = 0; a < axis; a++)
                {
                    max = MathF.Max(max, input[start + (a * inner)]);
                }

                var shift = float.IsFinite(max) ? max : 0f;
                double sum = 0;
                for (var a = 0; a < axis; a++)
                {
                    sum += Math.Exp(input[start + (a * inner)] - shift);
                }

                var offset = shift + (float)Math.Log(sum);
                for (var a = 0; a < axis; a++)
                {
                    output[start + (a * inner)] = input[start + (a * inner)] - offset;
                }
            }
        }
    }

    /// <summary>1 at the first maximum along the axis, 0 elsewhere.</summary>
    public static void Hardmax(ReadOnlySpan<float> input, Span<float> output, int outer, int axis, int inner)
    {
        output[..(outer * axis * inner)].Clear();
        for (var o = 0; o < outer; o++)
        {
            for (var i = 0; i < inner; i++)
            {
                var start = (o * axis * inner) + i;
                var best = 0;
                for (var a = 1; a < axis; a++)
                {
                    if (input[start + (a * inner)] > input[start + (best * inner)])
                    {
                        best = a;
                    }
                }

                if (axis > 0)
                {
                    output[start + (best * inner)] = 1f;
                }
            }
        }
    }
}
