namespace ConvService.Inference.Engine.Graph;

/// <summary>
/// A value known at load time: an initializer, a Constant node, or a folded shape computation. Floats feed
/// weights; 64-bit integers feed shapes, axes and indices.
/// </summary>
internal sealed class ConstantTensor
{
    private ConstantTensor(int[] dims, float[]? floats, long[]? integers)
    {
        Dims = dims;
        Floats = floats;
        Integers = integers;
    }

    public int[] Dims { get; }

    public float[]? Floats { get; }

    public long[]? Integers { get; }

    public int Length => Floats?.Length ?? Integers!.Length;

    public static ConstantTensor OfFloats(int[] dims, float[] values) => new(dims, values, null);

    public static ConstantTensor OfIntegers(int[] dims, long[] values) => new(dims, null, values);

    public float[] AsFloats() => Floats ?? Array.ConvertAll(Integers!, v => (float)v);

    public long[] AsIntegers() => Integers ?? Array.ConvertAll(Floats!, v => (long)v);
}
