namespace ConvService.Inference.Kernels.Conv;

/// <summary>One prepared convolution algorithm; <see cref="ConvPlan"/> validates and pins, the kernel computes.</summary>
internal unsafe interface IConvKernel
{
    ConvAlgorithm Algorithm { get; }

    long ScratchFloats(int batch);

    /// <summary>True when <see cref="Execute"/> adds a residual as it stores, before the activation.</summary>
    bool FusesResidual { get; }

    /// <summary>
    /// Computes a batch. A kernel that fuses the residual adds it when <paramref name="residual"/> is not null; the
    /// others must be given null, and their plan adds the residual in a second pass.
    /// </summary>
    void Execute(float* input, float* residual, float* output, float* scratch, int batch);
}
