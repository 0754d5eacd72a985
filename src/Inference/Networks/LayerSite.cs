namespace ConvService.Inference.Networks;

/// <summary>Where a layer sits: its report index, its JSON path in the spec, its (possibly default) name and nesting level.</summary>
internal sealed record LayerSite(string Index, string Path, string Name, int Level)
{
    public string Describe => $"{Path} ('{Name}')";
}
