using System.Runtime.InteropServices;
using ConvService.Inference.Operators.LinearAlgebra;

namespace ConvService.Inference.Engine.Steps;

/// <summary>Det of every n x n matrix of the input; the elimination works in doubles held in the shared scratch.</summary>
internal sealed class DeterminantStep(Operand input, int output, int n) : Step
{
    public override int ScratchFloats => 2 * n * n;

    public override void Execute(ExecutionFrame frame) =>
        Determinant.Run(frame.Read(input), frame.Slot(output), n, MemoryMarshal.Cast<float, double>(frame.Scratch[..ScratchFloats]));
}
