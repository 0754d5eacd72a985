using System.Globalization;
using ConvService.Contracts.Networks;

namespace ConvService.Inference.Networks;

/// <summary>
/// The lecture's output-size rule, (N - F + 2P)/S + 1, along one axis, with its worked arithmetic and refusals
/// that show the arithmetic and say how to make the layer fit.
/// </summary>
internal static class SpatialArithmetic
{
    public static AxisFit Resolve(
        LayerSite site, string axis, int n, int size, int dilation, int stride, PaddingSpec padding, bool vertical, Rounding rounding)
    {
        var window = checked(dilation * (size - 1) + 1);
        int before, after;
        switch (padding.Mode)
        {
            case PaddingMode.Same:
                {
                    // TensorFlow's rule: ceil(N/S) outputs, the missing padding split with the extra pixel after.
                    var output = (int)((n + (long)stride - 1) / stride);
                    var total = (int)Math.Max(0, (long)(output - 1) * stride + window - n);
                    before = total / 2;
                    after = total - before;
                    var text = $"same padding: ceil({n}/{stride}) = {output}, padded {before} + {after}";
                    return new AxisFit(output, before, after, text);
                }

            case PaddingMode.Valid:
                before = after = 0;
                rounding = Rounding.Floor;
                break;
            default:
                before = vertical ? padding.Top : padding.Left;
                after = vertical ? padding.Bottom : padding.Right;
                break;
        }

        var span = (long)n + before + after - window;
        var expression = Expression(n, size, dilation, window, before, after, stride);
        if (span < 0)
        {
            var shrunk = Whole((double)span / stride + 1);
            throw NetworkErrors.DoesNotFit(site, "Output shrinks to nothing",
                $"{expression} = {shrunk}: the {axis} shrinks to zero or below, because the {window}-pixel window is larger than the " +
                $"{n}-pixel {axis} plus its padding ({before} + {after}). Fix: use a smaller filter, add padding (\"same\" keeps the size), " +
                "or remove an earlier pooling or strided layer so the input stays larger.");
        }

        if (span % stride == 0)
        {
            var output = checked((int)(span / stride + 1));
            return new AxisFit(output, before, after, $"{expression} = {output}");
        }

        var exact = (double)span / stride + 1;
        switch (rounding)
        {
            case Rounding.Floor:
                {
                    var output = checked((int)(span / stride + 1));
                    var note = padding.Mode == PaddingMode.Valid ? "valid padding" : "fit: floor";
                    return new AxisFit(output, before, after, $"{expression} = {Whole(exact)}, rounded down to {output} ({note})");
                }

            case Rounding.Ceil:
                {
                    var output = checked((int)((span + stride - 1) / stride + 1));

                    // PyTorch drops a last window that would start inside the right/bottom padding.
                    if ((long)(output - 1) * stride >= (long)n + before)
                    {
                        output--;
                        return new AxisFit(output, before, after,
                            $"{expression} = {Whole(exact)}, rounded up then one less, as the last window would start in the padding: {output} (ceil mode)");
                    }

                    return new AxisFit(output, before, after, $"{expression} = {Whole(exact)}, rounded up to {output} (ceil mode)");
                }

            default:
                throw NetworkErrors.DoesNotFit(site, "Stride does not fit",
                    $"{expression} = {Whole(exact)} is not a whole number, so a {window}-pixel window at stride {stride} does not fit " +
                    $"the {n}-pixel {axis} (padding {before} + {after}). Fix: {Suggestion(n, window, stride, before, after)}" +
                    "or ask for fit \"floor\" (query ?fit=floor or \"fit\": \"floor\" in the spec) to drop the leftover pixels as PyTorch does.");
        }
    }

    /// <summary>Joins the two axes' arithmetic, once when they are the same.</summary>
    public static string Join(AxisFit height, AxisFit width) =>
        height.Formula == width.Formula ? height.Formula : $"height: {height.Formula}; width: {width.Formula}";

    private static string Expression(int n, int size, int dilation, int window, int before, int after, int stride)
    {
        var filter = dilation == 1 ? $"{size}" : $"{window}";
        var numerator = (before, after) switch
        {
            (0, 0) => $"{n} - {filter}",
            var (b, a) when b == a => $"{n} + 2*{b} - {filter}",
            _ => $"{n} + {before} + {after} - {filter}",
        };
        var dilated = dilation == 1 ? "" : $" [dilated filter {dilation}*({size} - 1) + 1 = {window}]";
        return $"({numerator})/{stride} + 1{dilated}";
    }

    private static string Suggestion(int n, int window, int stride, int before, int after)
    {
        // The smallest symmetric padding that makes the windows tile the input exactly, when one exists nearby.
        for (var pad = 0; pad <= window; pad++)
        {
            if (pad != before && ((long)n + 2 * pad - window) >= 0 && ((long)n + 2 * pad - window) % stride == 0)
            {
                var output = ((long)n + 2 * pad - window) / stride + 1;
                return $"use padding {pad} (({n} + 2*{pad} - {window})/{stride} + 1 = {output}), change the stride, ";
            }
        }

        return "change the stride or the padding so that (N + 2P - F) is a multiple of S, ";
    }

    private static string Whole(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
