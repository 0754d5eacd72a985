using ConvService.Inference.Kernels.Gemm;

namespace ConvService.Inference.Engine.Steps;

/// <summary>MatMul over a batch of [m, k] x [k, n] products; a side with matrix stride 0 is shared by every product.</summary>
internal sealed class MatMulStep(Operand a, Operand b, int output, int batches, int m, int n, int k, int strideA, int strideB) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        var left = frame.Read(a);
        var right = frame.Read(b);
        var y = frame.Slot(output);
        for (var i = 0; i < batches; i++)
        {
            Sgemm.Multiply(
                false, false, m, n, k, 1f,
                left.Slice(i * strideA, m * k), k,
                right.Slice(i * strideB, k * n), n,
                0f, y.Slice(i * m * n, m * n), n, frame.DegreeOfParallelism);
        }
    }
}
