namespace ConvService.Contracts.Networks;

/// <summary>
/// Zero padding of a conv, local or pool layer. JSON: a number (all sides), [vertical, horizontal],
/// [top, left, bottom, right], "same" or "valid".
/// </summary>
public readonly record struct PaddingSpec(PaddingMode Mode, int Top = 0, int Left = 0, int Bottom = 0, int Right = 0)
{
    public static PaddingSpec Same => new(PaddingMode.Same);

    public static PaddingSpec Valid => new(PaddingMode.Valid);

    public static implicit operator PaddingSpec(int all) => new(PaddingMode.Explicit, all, all, all, all);
}
