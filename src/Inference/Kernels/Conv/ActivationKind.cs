namespace ConvService.Inference.Kernels.Conv;

/// <summary>Activations that can be fused into a convolution. Clip uses Alpha/Beta as min/max; LeakyRelu Alpha as slope; HardSigmoid Alpha/Beta as ONNX does.</summary>
public enum ActivationKind
{
    None,
    Relu,
    LeakyRelu,
    Clip,
    Sigmoid,
    HardSigmoid,
    HardSwish,
    Tanh,
}
