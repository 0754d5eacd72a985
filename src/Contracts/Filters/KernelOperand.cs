namespace ConvService.Contracts.Filters;

/// <summary>One kernel: a name from <c>GET /api/kernels</c> (with its size or sigma) or a matrix.</summary>
public sealed record KernelOperand(string? Kernel = null, double[][]? Matrix = null, int? Size = null, double? Sigma = null);
