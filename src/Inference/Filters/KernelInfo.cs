namespace ConvService.Inference.Filters;

/// <summary>A named kernel as listed to callers: what it does, its default matrix and the parameters it takes.</summary>
/// <param name="DefaultKernel">The matrix at default parameters; for sobel-magnitude, its x kernel.</param>
/// <param name="Parameters">Names of the optional parameters it accepts ("size", "sigma").</param>
public sealed record KernelInfo(string Name, string Description, bool Separable, Kernel2D DefaultKernel, IReadOnlyList<string> Parameters);
