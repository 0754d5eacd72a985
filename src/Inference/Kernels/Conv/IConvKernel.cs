namespace ConvService.Inference.Kernels.Conv;

/// <summary>One prepared convolution algorithm; <see cref="ConvPlan"/> validates and pins, the kernel computes.</summary>
internal unsafe interface IConvKernel
{
    ConvAlgorithm Algorithm { get; }

    long ScratchFloats(int batch);

    void Execute(float* input, float* output, float* scratch, int batch);
}
