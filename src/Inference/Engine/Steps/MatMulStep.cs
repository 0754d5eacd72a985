using ConvService.Inference.Kernels.Gemm;

namespace ConvService.Inference.Engine.Steps;

/// <summary>MatMul over a batch of [m, k] x [k, n] products; each product reads its matrices at the given offsets (broadcast batches repeat an offset).</summary>
internal sealed class MatMulStep(Operand a, Operand b, int output, int m, int n, int k, int[] offsetsA, int[] offsetsB, SimdLevel level) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        var left = frame.Read(a);
        var right = frame.Read(b);
        var y = frame.Slot(output);
        for (var i = 0; i < offsetsA.Length; i++)
        {
            Sgemm.Multiply(
                false, false, m, n, k, 1f,
                left.Slice(offsetsA[i], m * k), k,
                right.Slice(offsetsB[i], k * n), n,
                0f, y.Slice(i * m * n, m * n), n, frame.DegreeOfParallelism, level);
        }
    }
}
