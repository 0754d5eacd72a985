namespace ConvService.Contracts.Models;

/// <summary>One executed layer (after folding and fusion).</summary>
/// <param name="Name">The ONNX node name; ask for it in the activations endpoint.</param>
/// <param name="OpType">The operator, e.g. "Conv+Relu" when nodes were fused.</param>
/// <param name="OutputShape">Its output for one image, batch first.</param>
/// <param name="Parameters">Weights it holds.</param>
/// <param name="FusedNodes">Names of nodes folded into it; they can be asked for too.</param>
public sealed record LayerDescription(string Name, string OpType, int[] OutputShape, long Parameters, string[] FusedNodes);
