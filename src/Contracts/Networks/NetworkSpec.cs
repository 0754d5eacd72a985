namespace ConvService.Contracts.Networks;

/// <summary>A network as a list of layers applied to one image of shape [channels, height, width].</summary>
public sealed record NetworkSpec
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>[channels, height, width], e.g. [3, 227, 227].</summary>
    public required IReadOnlyList<int> Input { get; init; }

    /// <summary>Rounding when a stride does not fit; a request's own fit setting takes precedence. Default exact.</summary>
    public FitMode? Fit { get; init; }

    public required IReadOnlyList<LayerSpec> Layers { get; init; }
}
