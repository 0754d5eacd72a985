using ConvService.Inference.FilterBanks;

namespace ConvService.Inference.Classifiers;

/// <summary>
/// The feature part of a classifier as ONNX nodes, so the served file computes exactly what training measured:
/// the filter bank as one convolution over the contrast-normalised gray image (reflect padding, as the bank endpoint
/// uses), MR8's maximum over orientations as a reshape and a max, then pooling to mean and standard deviation per
/// response, or to a texton histogram.
/// </summary>
public static class FeatureGraphs
{
    public const string ImageInput = "image";

    private const float ContrastEpsilon = 1e-2f;

    /// <summary>A new graph from a gray [N, 1, side, side] image to the bank's responses [N, R, side, side].</summary>
    public static (GraphAppender Graph, string Responses, int Count) BankResponses(FilterBank bank, int side)
    {
        var g = GraphAppender.Start(ImageInput, 1, side, side);
        var x = g.InputName;

        // Zero mean and unit variance per image: textures are told apart by pattern, not by exposure (as in Varma and Zisserman).
        var mean = g.Node("ReduceMean", [x], GraphAppender.Ints("axes", 1, 2, 3), GraphAppender.Int("keepdims", 1));
        var centred = g.Node("Sub", [x, mean]);
        var variance = g.Node("ReduceMean", [g.Node("Mul", [centred, centred])], GraphAppender.Ints("axes", 1, 2, 3), GraphAppender.Int("keepdims", 1));
        var deviation = g.Node("Sqrt", [g.Node("Add", [variance, g.Constant([ContrastEpsilon], 1)])]);
        var normalised = g.Node("Div", [centred, deviation]);

        var content = bank.Content;
        var size = content.ConvolutionKernels.Max(k => Math.Max(k.Rows, k.Cols));
        var half = size / 2;
        var weights = new float[content.Filters.Count * size * size];
        for (var f = 0; f < content.Filters.Count; f++)
        {
            // The bank's convolution kernels, centred in the largest size; ONNX Conv correlates, as the bank's correlator does.
            var k = content.ConvolutionKernels[f];
            int top = (size - k.Rows) / 2, left = (size - k.Cols) / 2;
            for (var r = 0; r < k.Rows; r++)
            {
                for (var c = 0; c < k.Cols; c++)
                {
                    weights[(f * size + top + r) * size + left + c] = k[r, c];
                }
            }
        }

        var padded = g.Node("Pad", [normalised, g.Integers(0, 0, half, half, 0, 0, half, half)], GraphAppender.String("mode", "reflect"));
        var filtered = g.Node(
            "Conv",
            [padded, g.Constant(weights, content.Filters.Count, 1, size, size)],
            GraphAppender.Ints("kernel_shape", size, size));
        if (content.Groups.All(group => group.FilterIndices.Length == 1))
        {
            return (g, filtered, content.Filters.Count);
        }

        // MR8: groups of consecutive orientations collapse by their per-pixel maximum; single filters pass through.
        var parts = new List<string>();
        var index = 0;
        while (index < content.Groups.Count)
        {
            var group = content.Groups[index];
            var width = group.FilterIndices.Length;
            var run = 1;
            while (index + run < content.Groups.Count && content.Groups[index + run].FilterIndices.Length == width)
            {
                run++;
            }

            var first = group.FilterIndices[0];
            var slice = g.Node("Slice", [filtered, g.Integers(first), g.Integers(first + run * width), g.Integers(1)]);
            parts.Add(width == 1
                ? slice
                : g.Node(
                    "ReduceMax",
                    [g.Node("Reshape", [slice, g.Integers(0, run, width, side, side)])],
                    GraphAppender.Ints("axes", 2),
                    GraphAppender.Int("keepdims", 0)));
            index += run;
        }

        return (g, parts.Count == 1 ? parts[0] : g.Node("Concat", [.. parts], GraphAppender.Int("axis", 1)), content.Groups.Count);
    }

    /// <summary>Mean and population standard deviation of every response map: [N, R, H, W] to [N, 2R].</summary>
    public static string MeanAndDeviation(GraphAppender g, string responses)
    {
        var mean = g.Node("GlobalAveragePool", [responses]);
        var centred = g.Node("Sub", [responses, mean]);
        var deviation = g.Node("Sqrt", [g.Node("GlobalAveragePool", [g.Node("Mul", [centred, centred])])]);
        return g.Node("Flatten", [g.Node("Concat", [mean, deviation], GraphAppender.Int("axis", 1))], GraphAppender.Int("axis", 1));
    }

    /// <summary>
    /// Varma and Zisserman's contrast normalisation of the response vector at each pixel:
    /// F * log(1 + L / 0.03) / L with L = |F|, so strong edges do not drown the rest.
    /// </summary>
    public static string ContrastNormalised(GraphAppender g, string responses)
    {
        var squares = g.Node("ReduceSumSquare", [responses], GraphAppender.Ints("axes", 1), GraphAppender.Int("keepdims", 1));
        var length = g.Node("Sqrt", [g.Node("Add", [squares, g.Constant([1e-12f], 1)])]);
        var scaled = g.Node("Log", [g.Node("Add", [g.Node("Div", [length, g.Constant([0.03f], 1)]), g.Constant([1f], 1)])]);
        return g.Node("Mul", [responses, g.Node("Div", [scaled, length])]);
    }

    /// <summary>
    /// Each pixel's nearest texton (argmax of r.c - |c|^2/2, a 1x1 convolution, then Hardmax over the textons), pooled
    /// to the share of pixels per texton, then square-rooted: Euclidean distance between square-rooted histograms
    /// is the Hellinger distance, a close stand-in for the chi-squared distance of the paper.
    /// </summary>
    public static string TextonHistogram(GraphAppender g, string responses, float[][] textons)
    {
        var dimensions = textons[0].Length;
        var weights = textons.SelectMany(t => t).ToArray();
        var bias = textons.Select(t => -0.5f * t.Sum(v => v * v)).ToArray();
        var scores = g.Node(
            "Conv",
            [responses, g.Constant(weights, textons.Length, dimensions, 1, 1), g.Constant(bias, textons.Length)],
            GraphAppender.Ints("kernel_shape", 1, 1));
        var nearest = g.Node("Hardmax", [scores], GraphAppender.Int("axis", 1));
        var shares = g.Node("Flatten", [g.Node("GlobalAveragePool", [nearest])], GraphAppender.Int("axis", 1));
        return g.Node("Sqrt", [shares]);
    }

    /// <summary>The packaged feature network's output [N, 512, 1, 1] flattened and L2-normalised to [N, 512].</summary>
    public static string L2Normalised(GraphAppender g, string features)
    {
        var flat = g.Node("Flatten", [features], GraphAppender.Int("axis", 1));
        return UnitLength(g, flat);
    }

    public static string UnitLength(GraphAppender g, string rows)
    {
        var length = g.Node("ReduceL2", [rows], GraphAppender.Ints("axes", 1), GraphAppender.Int("keepdims", 1));
        return g.Node("Div", [rows, g.Node("Max", [length, g.Constant([1e-12f], 1)])]);
    }
}
