using System.Globalization;
using ConvService.Inference.Errors;

namespace ConvService.Inference.Filters;

/// <summary>The output-size arithmetic behind <see cref="ImageFilter.Measure"/>, with refusals the caller can act on.</summary>
internal static class FilterGeometry
{
    private const string DoesNotFit = "Filter does not fit";

    public static OutputGeometry Measure(int width, int height, int kernelRows, int kernelCols, FilterSettings s)
    {
        if (width < 1 || height < 1)
        {
            throw ConvServiceException.InvalidInput("Invalid image size", $"The image is {width}x{height}; both sides must be at least 1 pixel. Send a non-empty image.");
        }

        if (kernelRows < 1 || kernelCols < 1)
        {
            throw ConvServiceException.InvalidInput("Invalid kernel size", $"The kernel is {kernelRows}x{kernelCols}; it needs at least one row and one column.");
        }

        s.Check();

        var size = $"{kernelCols}x{kernelRows}";
        var input = $"{width}x{height}";
        var (outW, left, right, wFormula) = Axis(width, kernelCols, s, "width", size, input);
        var (outH, top, bottom, hFormula) = Axis(height, kernelRows, s, "height", size, input);
        return new OutputGeometry(outW, outH, top, left, bottom, right, s.Stride, wFormula, hFormula);
    }

    private static (int Out, int PadBefore, int PadAfter, string Formula) Axis(int n, int f, FilterSettings s, string axis, string filter, string input)
    {
        var stride = s.Stride;
        if (s.Padding == PaddingMode.Same)
        {
            // In 64 bits: a stride near int.MaxValue must give one output pixel, not an overflowed size.
            var outSize = (int)(((long)n + stride - 1) / stride);
            var total = (int)Math.Max(((long)outSize - 1) * stride + f - n, 0);
            var before = total / 2;
            return (outSize, before, total - before,
                $"ceil({n}/{stride}) = {outSize}, pad max(({outSize} - 1)*{stride} + {f} - {n}, 0) = {total} split {before} + {total - before}");
        }

        var p = s.Padding == PaddingMode.Explicit ? s.Pad : 0;
        if (p > n)
        {
            throw ConvServiceException.DoesNotFit(
                "Padding larger than the image",
                $"Pad {p} is larger than the image {axis} {n}: a border can be at most as wide as the image. Use a pad of at most {n}, or padding 'same'.");
        }

        var span = n - f + 2 * p;
        var exact = (double)span / stride + 1;
        var numerator = $"{n} - {f}{(p > 0 ? $" + 2*{p}" : "")}";
        var shown = $"({numerator})/{stride} + 1 = {Number(exact)}";
        if (span < 0)
        {
            var needed = (f - n + 1) / 2;
            throw ConvServiceException.DoesNotFit(
                DoesNotFit,
                $"{shown}: a {filter} filter is larger than the {input} input{(p > 0 ? $" padded by {p}" : "")} and fits nowhere along the {axis}. "
                + $"Use padding 'same', an explicit pad of at least {needed}, or a smaller kernel.");
        }

        var fittedSize = span / stride + 1;
        var formula = shown;
        if (span % stride != 0)
        {
            if (!s.FitFloor)
            {
                throw ConvServiceException.DoesNotFit(
                    DoesNotFit,
                    $"{shown}: a {filter} filter at stride {stride} does not fit a {input} input. "
                    + $"Along the {axis}, N - F + 2P = {span} must be a multiple of the stride: use stride {Divisors(span)}, "
                    + "padding 'same', another explicit pad, or fit=floor to drop the last partial window.");
            }

            formula = $"floor(({numerator})/{stride}) + 1 = {fittedSize}";
        }

        return (fittedSize, p, p, formula);
    }

    private static string Number(double value) =>
        value == Math.Floor(value)
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Divisors(int span)
    {
        var found = new List<int>();
        for (var d = 1; d <= span && found.Count < 6; d++)
        {
            if (span % d == 0)
            {
                found.Add(d);
            }
        }

        return found.Count == 1 ? found[0].ToString(CultureInfo.InvariantCulture)
            : string.Join(", ", found.Take(found.Count - 1)) + " or " + found[^1];
    }
}
