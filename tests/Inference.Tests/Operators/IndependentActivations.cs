using ConvService.Inference.Kernels.Conv;

namespace ConvService.Inference.Tests.Operators;

/// <summary>
/// The activations written out from the ONNX definitions in double precision, calling nothing from the engine:
/// the oracle the kernels are held to at every level.
/// </summary>
internal static class IndependentActivations
{
    public static double Apply(ActivationKind kind, double alpha, double beta, double x) => kind switch
    {
        ActivationKind.None => x,
        ActivationKind.Relu => x < 0 ? 0 : x,
        ActivationKind.LeakyRelu => x < 0 ? alpha * x : x,
        ActivationKind.Clip => x < alpha ? alpha : x > beta ? beta : x,
        ActivationKind.Sigmoid => 1 / (1 + Math.Exp(-x)),
        ActivationKind.HardSigmoid => Math.Max(0, Math.Min(1, (alpha * x) + beta)),
        ActivationKind.HardSwish => x * Math.Max(0, Math.Min(1, (x / 6) + 0.5)),
        ActivationKind.Tanh => Math.Tanh(x),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// Softmax along the middle axis of [outer, axis, inner] in double precision, max-subtracted as the ONNX
    /// definition allows (it does not change the exact result).
    /// </summary>
    public static double[] Softmax(float[] input, int outer, int axis, int inner)
    {
        var output = new double[input.Length];
        for (var o = 0; o < outer; o++)
        {
            for (var i = 0; i < inner; i++)
            {
                var max = double.NegativeInfinity;
                for (var a = 0; a < axis; a++)
                {
                    max = Math.Max(max, input[(((o * axis) + a) * inner) + i]);
                }

                var sum = 0.0;
                for (var a = 0; a < axis; a++)
                {
                    sum += Math.Exp(input[(((o * axis) + a) * inner) + i] - max);
                }

                for (var a = 0; a < axis; a++)
                {
                    var at = (((o * axis) + a) * inner) + i;
                    output[at] = Math.Exp(input[at] - max) / sum;
                }
            }
        }

        return output;
    }
}
