using ConvService.Inference.Engine.Steps;

namespace ConvService.Inference.Engine.Planning;

/// <summary>Everything a session needs to run a model at one batch size: steps, slot-to-buffer map, buffer sizes.</summary>
internal sealed class ExecutionPlan(
    int batch,
    Step[] steps,
    int[] slotBuffer,
    int[] slotLength,
    int[] bufferSizes,
    int scratchFloats,
    PlannedTensor[] inputs,
    PlannedTensor[] outputs,
    LayerRecord[] layers)
{
    public int Batch { get; } = batch;

    public Step[] Steps { get; } = steps;

    public int[] SlotBuffer { get; } = slotBuffer;

    public int[] SlotLength { get; } = slotLength;

    public int[] BufferSizes { get; } = bufferSizes;

    public int ScratchFloats { get; } = scratchFloats;

    public PlannedTensor[] Inputs { get; } = inputs;

    public PlannedTensor[] Outputs { get; } = outputs;

    public LayerRecord[] Layers { get; } = layers;

    public LayerRecord? FindLayer(string name) =>
        Array.Find(Layers, l => l.Info.Name == name) ?? Array.Find(Layers, l => l.Info.FusedNodeNames.Contains(name));
}
