namespace ConvService.Contracts.Filters;

/// <summary>A named kernel as <c>GET /api/kernels</c> lists it.</summary>
/// <param name="Name">The name to pass as <c>kernel</c>.</param>
/// <param name="Description">What the kernel does, in one line.</param>
/// <param name="Rows">Kernel height at the default parameters.</param>
/// <param name="Cols">Kernel width at the default parameters.</param>
/// <param name="Matrix">The weights at the default parameters, row by row (for sobel-magnitude: the x kernel).</param>
/// <param name="Separable">Whether it runs as two 1-D passes.</param>
/// <param name="Parameters">The optional parameters it takes (<c>size</c>, <c>sigma</c>).</param>
public sealed record KernelDescription(
    string Name,
    string Description,
    int Rows,
    int Cols,
    float[][] Matrix,
    bool Separable,
    IReadOnlyList<string> Parameters);
