namespace ConvService.Contracts.Filters;

/// <summary>The composed kernel: (a * b)[.] = sum a[.] b[. - .], of size (Ra + Rb - 1) x (Ca + Cb - 1).</summary>
public sealed record ComposeResponse(int Rows, int Cols, float[][] Matrix, bool Separable, string Formula);
