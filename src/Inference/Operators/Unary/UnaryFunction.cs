namespace ConvService.Inference.Operators.Unary;

/// <summary>A function and its parameters (Elu's alpha, Selu's alpha and gamma as Alpha and Beta, Shrink's lambd and bias).</summary>
public readonly record struct UnaryFunction(UnaryKind Kind, float Alpha = 0f, float Beta = 0f)
{
    /// <summary>The scalar definition, one element (the reference the vector paths are tested against).</summary>
    public float Apply(float x) => UnaryKernel.ApplyOne(this, x);
}
