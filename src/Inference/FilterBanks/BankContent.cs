using ConvService.Inference.Filters;

namespace ConvService.Inference.FilterBanks;

/// <summary>What a bank builds once: its filters and how their responses are grouped into outputs.</summary>
internal sealed class BankContent
{
    public BankContent(IReadOnlyList<BankFilter> filters, IReadOnlyList<ResponseGroup> groups)
    {
        foreach (var group in groups)
        {
            if (group.FilterIndices.Length == 0 || group.FilterIndices.Any(i => i < 0 || i >= filters.Count))
            {
                throw new ArgumentException($"Response group '{group.Name}' refers to filters the bank does not have.", nameof(groups));
            }
        }

        Filters = filters;
        Groups = groups;
        ResponseNames = Array.AsReadOnly(groups.Select(g => g.Name).ToArray());
        ConvolutionKernels = filters.Select(f => f.Kernel.Flipped()).ToArray();
    }

    public IReadOnlyList<BankFilter> Filters { get; }

    public IReadOnlyList<ResponseGroup> Groups { get; }

    public IReadOnlyList<string> ResponseNames { get; }

    /// <summary>
    /// Each kernel rotated by 180 degrees. The reference code applies its banks with conv2 (true convolution); handing
    /// these to a correlator reproduces that, including the sign of the odd (edge) responses that MR8's max sees.
    /// </summary>
    public IReadOnlyList<Kernel2D> ConvolutionKernels { get; }

    /// <summary>Every filter answers on its own: one output per filter.</summary>
    public static BankContent OnePerFilter(IReadOnlyList<BankFilter> filters) =>
        new(filters, filters.Select((f, i) => new ResponseGroup(f.Name, [i])).ToArray());
}
