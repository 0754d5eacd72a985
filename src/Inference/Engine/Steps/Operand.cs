namespace ConvService.Inference.Engine.Steps;

/// <summary>An operator input: either a runtime slot or a constant baked into the plan.</summary>
internal readonly record struct Operand(int Slot, float[]? Constant)
{
    public static Operand OfSlot(int slot) => new(slot, null);

    public static Operand OfConstant(float[] values) => new(-1, values);
}
