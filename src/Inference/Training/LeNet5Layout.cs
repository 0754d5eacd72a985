namespace ConvService.Inference.Training;

/// <summary>
/// Shapes of the lecture's modern LeNet-5 on 28x28 digits: conv 5x5x6 (pad 2) -> ReLU -> maxpool 2 ->
/// conv 5x5x16 -> ReLU -> maxpool 2 -> fc 120 -> ReLU -> fc 84 -> ReLU -> fc 10.
/// All parameters live in one flat vector so the optimiser and the gradient are plain spans.
/// </summary>
public static class LeNet5Layout
{
    public const int ImageSize = 28;
    public const int Pixels = ImageSize * ImageSize;
    public const int KernelSize = 5;
    public const int Conv1Channels = 6;
    public const int Conv1Padding = 2;
    public const int Pool1Size = 14;
    public const int Conv2Channels = 16;
    public const int Conv2Size = 10;
    public const int Pool2Size = 5;
    public const int FlattenedFeatures = Conv2Channels * Pool2Size * Pool2Size;
    public const int Hidden1 = 120;
    public const int Hidden2 = 84;
    public const int Classes = 10;

    public static ParameterTensor Conv1Weight { get; } = new("conv1.weight", 0, [Conv1Channels, 1, KernelSize, KernelSize]);
    public static ParameterTensor Conv1Bias { get; } = After(Conv1Weight, "conv1.bias", [Conv1Channels]);
    public static ParameterTensor Conv2Weight { get; } = After(Conv1Bias, "conv2.weight", [Conv2Channels, Conv1Channels, KernelSize, KernelSize]);
    public static ParameterTensor Conv2Bias { get; } = After(Conv2Weight, "conv2.bias", [Conv2Channels]);
    public static ParameterTensor Fc1Weight { get; } = After(Conv2Bias, "fc1.weight", [Hidden1, FlattenedFeatures]);
    public static ParameterTensor Fc1Bias { get; } = After(Fc1Weight, "fc1.bias", [Hidden1]);
    public static ParameterTensor Fc2Weight { get; } = After(Fc1Bias, "fc2.weight", [Hidden2, Hidden1]);
    public static ParameterTensor Fc2Bias { get; } = After(Fc2Weight, "fc2.bias", [Hidden2]);
    public static ParameterTensor Fc3Weight { get; } = After(Fc2Bias, "fc3.weight", [Classes, Hidden2]);
    public static ParameterTensor Fc3Bias { get; } = After(Fc3Weight, "fc3.bias", [Classes]);

    public static IReadOnlyList<ParameterTensor> Tensors { get; } =
        [Conv1Weight, Conv1Bias, Conv2Weight, Conv2Bias, Fc1Weight, Fc1Bias, Fc2Weight, Fc2Bias, Fc3Weight, Fc3Bias];

    /// <summary>61,706 for the layout above.</summary>
    public static int ParameterCount { get; } = Fc3Bias.Offset + Fc3Bias.Length;

    private static ParameterTensor After(ParameterTensor previous, string name, int[] shape) =>
        new(name, previous.Offset + previous.Length, shape);
}
