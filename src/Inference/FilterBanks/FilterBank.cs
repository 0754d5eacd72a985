using ConvService.Inference.Errors;
using ConvService.Inference.Filters;

namespace ConvService.Inference.FilterBanks;

/// <summary>
/// A fixed texture filter bank ("lm", "s" or "mr8"). Kernels are built on first use, then cached and shared.
/// </summary>
public sealed class FilterBank
{
    private readonly Lazy<BankContent> _content;

    internal FilterBank(string name, string displayName, string description, Func<BankContent> build)
    {
        Name = name;
        DisplayName = displayName;
        Description = description;
        _content = new Lazy<BankContent>(build, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The short name used in URLs: "lm", "s" or "mr8".</summary>
    public string Name { get; }

    public string DisplayName { get; }

    public string Description { get; }

    /// <summary>Every filter, in the order of the reference code (48 for lm, 13 for s, 38 for mr8).</summary>
    public IReadOnlyList<BankFilter> Filters => _content.Value.Filters;

    /// <summary>The names of the responses <see cref="Respond"/> returns, in order (48, 13 or 8).</summary>
    public IReadOnlyList<string> ResponseNames => _content.Value.ResponseNames;

    /// <summary>The filters and their grouping, for writing the bank as an ONNX graph.</summary>
    internal BankContent Content => _content.Value;

    /// <summary>
    /// Applies the bank to a one-channel image. <paramref name="correlate"/> is the engine's 'same'-size
    /// cross-correlation and must return a new one-channel image of the input's size on every call. The bank hands
    /// it each kernel rotated by 180 degrees, so the responses equal the reference code's conv2 (convolution). For
    /// mr8 the per-pixel maximum over orientations is taken here, so the result has 8 responses.
    /// </summary>
    public IReadOnlyList<BankResponse> Respond(FloatImage gray, Func<FloatImage, Kernel2D, FloatImage> correlate)
    {
        ArgumentNullException.ThrowIfNull(gray);
        ArgumentNullException.ThrowIfNull(correlate);
        if (gray.Channels != 1)
        {
            throw ConvServiceException.DoesNotFit(
                "Filter banks need a gray image",
                $"The '{Name}' filter bank describes texture in one intensity channel, but the image has {gray.Channels} channels. "
                + "Convert the image to grayscale first, then apply the bank.");
        }

        var content = _content.Value;
        var responses = new BankResponse[content.Groups.Count];
        var kept = new HashSet<float[]>(ReferenceEqualityComparer.Instance) { gray.Data };
        for (var g = 0; g < responses.Length; g++)
        {
            var group = content.Groups[g];
            FloatImage? combined = null;
            foreach (var index in group.FilterIndices)
            {
                var response = correlate(gray, content.ConvolutionKernels[index]);
                EnsureFreshWithSameShape(response, gray, content.Filters[index].Name, kept);
                if (combined is null)
                {
                    combined = response;
                    kept.Add(response.Data);
                }
                else
                {
                    MaxInto(combined.Data, response.Data);
                }
            }

            responses[g] = new BankResponse(group.Name, combined!, Statistics(combined!));
        }

        return responses;
    }

    /// <summary>Mean, population standard deviation and energy (mean of squares) of every value of the image.</summary>
    public static ResponseStatistics Statistics(FloatImage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Statistics(response.Data);
    }

    /// <summary>Mean, population standard deviation and energy (mean of squares) of the values.</summary>
    public static ResponseStatistics Statistics(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return default;
        }

        // Two passes in double: the variance stays accurate even when the mean dwarfs the spread.
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        var mean = sum / values.Length;
        var squares = 0.0;
        var deviations = 0.0;
        foreach (var v in values)
        {
            squares += (double)v * v;
            var d = v - mean;
            deviations += d * d;
        }

        return new ResponseStatistics(mean, Math.Sqrt(deviations / values.Length), squares / values.Length);
    }

    /// <summary>Per-element maximum: <paramref name="accumulator"/>[i] = max(accumulator[i], next[i]).</summary>
    internal static void MaxInto(Span<float> accumulator, ReadOnlySpan<float> next)
    {
        for (var i = 0; i < accumulator.Length; i++)
        {
            accumulator[i] = MathF.Max(accumulator[i], next[i]);
        }
    }

    // Responses are kept and returned, so a correlator that reused a buffer would silently overwrite them. Only kept
    // buffers are remembered: MR8's other orientations are dropped once folded into the maximum.
    private static void EnsureFreshWithSameShape(FloatImage? response, FloatImage input, string filterName, HashSet<float[]> kept)
    {
        if (response is null || response.Channels != 1 || response.Width != input.Width || response.Height != input.Height)
        {
            throw new InvalidOperationException(
                $"The correlation for filter '{filterName}' must return a one-channel {input.Width}x{input.Height} image.");
        }

        if (kept.Contains(response.Data))
        {
            throw new InvalidOperationException(
                $"The correlation for filter '{filterName}' returned a buffer it had returned before (or the input); it must return a new image each call.");
        }
    }

    public override string ToString() => Name;
}
