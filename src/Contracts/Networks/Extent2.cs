namespace ConvService.Contracts.Networks;

/// <summary>A height and width pair (filter size, stride, dilation). JSON: one integer for a square, or [height, width].</summary>
public readonly record struct Extent2(int Height, int Width)
{
    public static implicit operator Extent2(int both) => new(both, both);

    public bool IsSquare => Height == Width;

    public override string ToString() => IsSquare ? $"{Height}" : $"{Height}x{Width}";
}
