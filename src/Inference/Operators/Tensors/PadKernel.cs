namespace ConvService.Inference.Operators.Tensors;

/// <summary>ONNX Pad (non-negative pads) for any rank: each output index maps back to one input index or the constant.</summary>
public static class PadKernel
{
    public static void Run(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<int> inputShape, ReadOnlySpan<int> outputShape, ReadOnlySpan<int> padsBegin, PadMode mode, float value)
    {
        var rank = inputShape.Length;
        Span<int> inputStrides = stackalloc int[rank];
        Span<int> index = stackalloc int[rank];
        var stride = 1;
        for (var d = rank - 1; d >= 0; d--)
        {
            inputStrides[d] = stride;
            stride *= inputShape[d];
        }

        index.Clear();
        for (var i = 0; i < output.Length; i++)
        {
            var source = 0;
            var inside = true;
            for (var d = 0; d < rank && inside; d++)
            {
                var coordinate = index[d] - padsBegin[d];
                var size = inputShape[d];
                if ((uint)coordinate >= (uint)size)
                {
                    switch (mode)
                    {
                        case PadMode.Constant:
                            inside = false;
                            continue;
                        case PadMode.Edge:
                            coordinate = coordinate < 0 ? 0 : size - 1;
                            break;
                        default:
                            coordinate = Reflect(coordinate, size);
                            break;
                    }
                }

                source += coordinate * inputStrides[d];
            }

            output[i] = inside ? input[source] : value;
            for (var d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < outputShape[d])
                {
                    break;
                }

                index[d] = 0;
            }
        }
    }

    private static int Reflect(int coordinate, int size)
    {
        if (size == 1)
        {
            return 0;
        }

        var period = 2 * (size - 1);
        coordinate = Math.Abs(coordinate) % period;
        return coordinate < size ? coordinate : period - coordinate;
    }
}
