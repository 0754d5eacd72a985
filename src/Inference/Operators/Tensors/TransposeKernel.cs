namespace ConvService.Inference.Operators.Tensors;

/// <summary>A general axis permutation (ONNX Transpose), written with an odometer over the output.</summary>
public static class TransposeKernel
{
    public static void Run(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<int> inputShape, ReadOnlySpan<int> permutation)
    {
        var rank = inputShape.Length;
        Span<int> inputStrides = stackalloc int[rank];
        Span<int> outShape = stackalloc int[rank];
        Span<int> strideOfOutAxis = stackalloc int[rank];
        Span<int> index = stackalloc int[rank];
        var stride = 1;
        for (var d = rank - 1; d >= 0; d--)
        {
            inputStrides[d] = stride;
            stride *= inputShape[d];
        }

        for (var d = 0; d < rank; d++)
        {
            outShape[d] = inputShape[permutation[d]];
            strideOfOutAxis[d] = inputStrides[permutation[d]];
        }

        index.Clear();
        var source = 0;
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = input[source];
            for (var d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                source += strideOfOutAxis[d];
                if (index[d] < outShape[d])
                {
                    break;
                }

                source -= strideOfOutAxis[d] * outShape[d];
                index[d] = 0;
            }
        }
    }
}
