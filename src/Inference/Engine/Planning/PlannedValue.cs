using ConvService.Inference.Engine.Graph;

namespace ConvService.Inference.Engine.Planning;

/// <summary>A value during planning: its shape, and either a constant or the runtime slot holding it.</summary>
internal sealed class PlannedValue(int[] shape, ConstantTensor? constant, int slot)
{
    public int[] Shape { get; } = shape;

    public ConstantTensor? Constant { get; } = constant;

    public int Slot { get; } = slot;

    public bool IsConstant => Constant is not null;
}
