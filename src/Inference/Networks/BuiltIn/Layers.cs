using ConvService.Contracts.Networks;

namespace ConvService.Inference.Networks.BuiltIn;

/// <summary>Short constructors so the built-in specs read like the papers' tables.</summary>
internal static class Layers
{
    public static ConvLayerSpec Conv(string name, int filters, int size, int stride = 1, int padding = 0, bool bias = true) =>
        new() { Name = name, Filters = filters, Size = size, Stride = stride, Padding = padding, Bias = bias };

    public static PoolLayerSpec MaxPool(string name, int size, int stride, int padding = 0, bool ceilMode = false) =>
        new() { Name = name, Mode = PoolMode.Max, Size = size, Stride = stride, Padding = padding, CeilMode = ceilMode };

    public static ReluLayerSpec Relu(string name) => new() { Name = name };

    public static LrnLayerSpec Lrn(string name) => new() { Name = name, Size = 5 };

    public static BatchNormLayerSpec BatchNorm(string name) => new() { Name = name };

    public static DropoutLayerSpec Dropout(string name, double rate) => new() { Name = name, Rate = rate };

    public static FcLayerSpec Fc(string name, int units) => new() { Name = name, Units = units };

    public static SoftmaxLayerSpec Softmax(string name = "prob") => new() { Name = name };
}
