using ConvService.Contracts.Networks;
using ConvService.Inference.Errors;

namespace ConvService.Inference.Networks;

/// <summary>
/// The network calculator: walks a spec and reports every layer's shapes, parameters, memory, multiply-accumulates,
/// receptive field and worked arithmetic. Refuses impossible specs with a <see cref="ConvServiceException"/> naming the layer.
/// </summary>
public static class NetworkAnalyzer
{
    public static readonly IReadOnlyList<string> Notes =
    [
        "Shapes read height x width x depth, as the lecture writes them.",
        "Parameters count weights and biases; BatchNorm's learnable scale and shift are counted as its weights and biases (running mean and variance are buffers and are not).",
        "Memory counts the input and every layer output that needs its own buffer, in float32 (4 bytes), for one image; ReLU, dropout, flatten and softmax work in place and add nothing.",
        "Training memory is the lecture's rule of thumb: forward activations x 2 (their gradients are kept for the backward pass); weights, gradients of weights and optimiser state are extra.",
        "Multiply-accumulates (MACs) count conv, locally connected and fully connected layers; FLOPs = 2 x MACs. Pooling, normalisation and activations are not counted.",
        "Receptive field and jump are in input pixels; a fully connected or global pooling layer sees its whole input.",
    ];

    public static NetworkReport Analyze(NetworkSpec spec, NetworkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= NetworkOptions.Default;
        var limits = options.Limits ?? NetworkLimits.Default;
        var fit = options.Fit ?? spec.Fit ?? FitMode.Exact;
        var input = InputShape(spec, limits);
        if (spec.Layers is null)
        {
            throw ConvServiceException.InvalidInput("Missing layers", "The spec has no \"layers\" list. Fix: add \"layers\": [ ... ].");
        }

        var walker = new NetworkWalker(options.ResNetVariant, fit, limits);
        var output = walker.Walk(input, spec.Layers);
        return new NetworkReport
        {
            Name = spec.Name,
            Description = spec.Description,
            InputShape = input.Text,
            OutputShape = output.Text,
            InputDims = input.Dims,
            OutputDims = output.Dims,
            Fit = fit,
            ResNetVariant = options.ResNetVariant,
            Layers = walker.Rows,
            Totals = walker.Totals,
            Notes = Notes,
        };
    }

    private static TensorShape InputShape(NetworkSpec spec, NetworkLimits limits)
    {
        if (spec.Input is not { Count: 3 } dims)
        {
            throw ConvServiceException.DoesNotFit("Invalid input shape",
                "\"input\" must be [channels, height, width], e.g. [3, 227, 227]. Fix: give exactly three positive integers.");
        }

        if (dims[0] <= 0 || dims[1] <= 0 || dims[2] <= 0)
        {
            throw ConvServiceException.DoesNotFit("Invalid input shape",
                $"\"input\" is [{string.Join(", ", dims)}], but every size must be positive. Fix: give [channels, height, width] of 1 or more.");
        }

        if (dims[1] > limits.MaxInputSide || dims[2] > limits.MaxInputSide)
        {
            throw ConvServiceException.OverLimit("Input too large",
                $"\"input\" is {dims[1]}x{dims[2]}, larger than {limits.MaxInputSide} on a side (ConvService:Networks:MaxInputSide). Fix: use a smaller input.");
        }

        return new TensorShape(dims[0], dims[1], dims[2]);
    }
}
