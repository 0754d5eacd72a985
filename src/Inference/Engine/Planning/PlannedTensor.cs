namespace ConvService.Inference.Engine.Planning;

/// <summary>A graph input or output bound to its slot in a plan.</summary>
internal sealed record PlannedTensor(string Name, int[] Shape, int Slot);
