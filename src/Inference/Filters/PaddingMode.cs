namespace ConvService.Inference.Filters;

/// <summary>How much border is added around the image before filtering.</summary>
public enum PaddingMode
{
    /// <summary>TensorFlow SAME: output ceil(N / stride) per axis; at stride 1 the output keeps the input size.</summary>
    Same,

    /// <summary>No padding: only positions where the kernel lies wholly inside the image.</summary>
    Valid,

    /// <summary>The caller's pad on all four sides.</summary>
    Explicit,
}
