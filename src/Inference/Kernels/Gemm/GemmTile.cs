namespace ConvService.Inference.Kernels.Gemm;

/// <summary>The register tile (rows x columns of C held in registers) of each level's micro-kernel.</summary>
internal static class GemmTile
{
    /// <summary>
    /// Largest K block: a packed B panel (KC x 32 floats, 16 KB) plus the A panels it meets stay in a 48 KB L1.
    /// </summary>
    public const int KBlock = 128;

    /// <summary>Splits k into equal blocks of at most <see cref="KBlock"/> (no short last block).</summary>
    public static int BalancedKBlock(int k) => (k + (k + KBlock - 1) / KBlock - 1) / ((k + KBlock - 1) / KBlock);

    /// <summary>The widest tile; sizes scratch for any level.</summary>
    public const int MaxRows = 8;

    public const int MaxColumns = 32;

    public static int Rows(SimdLevel level) => level switch
    {
        SimdLevel.Vector512 => 8,
        SimdLevel.Vector256 => 6,
        SimdLevel.Vector128 => 6,
        _ => 4,
    };

    public static int Columns(SimdLevel level) => level switch
    {
        SimdLevel.Vector512 => 32,
        SimdLevel.Vector256 => 16,
        SimdLevel.Vector128 => 8,
        _ => 4,
    };

    /// <summary>Floats a driver call needs as work space: one packed B panel, one edge tile of C, and room to align them.</summary>
    public const int WorkFloats = KBlock * MaxColumns + MaxRows * MaxColumns + 16;

    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
