namespace ConvService.Contracts.Filters;

/// <summary>Kernels to compose into one: filtering with the result equals filtering with each in turn (zero border, full size).</summary>
/// <param name="Kernels">Two or more kernels, in the order they would be applied.</param>
public sealed record ComposeRequest(IReadOnlyList<KernelOperand>? Kernels);
