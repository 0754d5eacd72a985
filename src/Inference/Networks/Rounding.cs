namespace ConvService.Inference.Networks;

/// <summary>What to do with a window count that is not whole.</summary>
internal enum Rounding
{
    /// <summary>Refuse: the stride does not fit.</summary>
    Exact,

    /// <summary>Drop the leftover rows/columns (PyTorch's default, TensorFlow's "valid").</summary>
    Floor,

    /// <summary>Keep a last partial window (PyTorch's ceil_mode for pooling).</summary>
    Ceil,
}
