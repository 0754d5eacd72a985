namespace ConvService.Contracts.Networks;

/// <summary>How a layer's zero padding is given: explicit pixel counts, "same" (output = ceil(N/S)), or "valid" (none, leftovers dropped).</summary>
public enum PaddingMode
{
    Explicit,
    Same,
    Valid,
}
