namespace ConvService.Inference.Engine.Planning;

/// <summary>Where a layer's output lives in a plan: valid right after step <see cref="StepIndex"/> ran.</summary>
internal sealed record LayerRecord(LayerInfo Info, int StepIndex, int Slot);
