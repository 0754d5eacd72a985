using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Operators.Elementwise;

namespace ConvService.Inference.Engine.Steps;

/// <summary>
/// ONNX Gemm: Y = alpha * op(A) * op(B) + beta * C. C is broadcast into Y first so the GEMM can accumulate onto it.
/// </summary>
internal sealed class GemmStep(
    Operand a, Operand b, Operand? c, BroadcastBinary? cBroadcast, int output,
    bool transposeA, bool transposeB, int m, int n, int k, float alpha, float beta, SimdLevel level) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        var y = frame.Slot(output);
        var accumulate = 0f;
        if (c is { } bias && cBroadcast is not null)
        {
            // cBroadcast maps ([m, n], shape of C) to [m, n]: clearing Y first turns the add into a broadcast copy.
            y.Clear();
            cBroadcast.Execute(BinaryKind.Add, y, frame.Read(bias), y, level);
            accumulate = beta;
        }

        Sgemm.Multiply(
            transposeA, transposeB, m, n, k, alpha,
            frame.Read(a), transposeA ? m : k,
            frame.Read(b), transposeB ? k : n,
            accumulate, y, n, frame.DegreeOfParallelism, level);
    }
}
