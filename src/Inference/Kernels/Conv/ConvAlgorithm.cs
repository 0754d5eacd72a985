namespace ConvService.Inference.Kernels.Conv;

/// <summary>How a <see cref="ConvPlan"/> computes its convolution.</summary>
public enum ConvAlgorithm
{
    /// <summary>1x1, stride 1, no padding: one GEMM straight on the NCHW input.</summary>
    Pointwise,

    /// <summary>GEMM whose B rows are shifted runs of a padded, stride-phase-split copy of the input (no im2col).</summary>
    ImplicitGemm,

    /// <summary>Output channels along the vector lanes, positions broadcast: for small images with many channels.</summary>
    ChannelVectorGemm,

    /// <summary>Output channels along the vector lanes, inputs broadcast in place from the phase layout, tiles of output row segments.</summary>
    ChannelVectorDirect,

    /// <summary>Winograd F(2x2, 3x3): 3x3, stride 1, no dilation, one group.</summary>
    Winograd,

    /// <summary>One input channel per group: a direct kernel vectorised along the output row.</summary>
    Depthwise,

    /// <summary>Winograd F(4x4, 3x3): as <see cref="Winograd"/>, with 4x4 output tiles (36 multiplies per tile and channel pair instead of 144).</summary>
    WinogradF4,
}
