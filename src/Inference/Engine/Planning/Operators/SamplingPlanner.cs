using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Sampling;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>
/// GridSample (opsets 16, 20, 22) on 2-D images: bilinear/linear, nearest, bicubic/cubic; zeros, border or reflection
/// padding. RoiAlign (opsets 10, 16, 22): average or max over bilinear samples of each region's bins.
/// </summary>
internal static class SamplingPlanner
{
    public static void GridSample(NodeContext context)
    {
        var (outputShape, options) = GridSampleLayout(context);
        context.AddStep(new GridSampleStep(context.Operand(0), context.Operand(1), context.Output(0, outputShape), context.Shape(0), outputShape, options));
    }

    public static (int[] Shape, GridSampleOptions Options) GridSampleLayout(NodeContext context)
    {
        var x = context.Shape(0);
        var grid = context.Shape(1);
        if (x.Length != 4 || grid.Length != 4 || grid[0] != x[0] || grid[3] != 2)
        {
            throw context.Fail($"only 2-D sampling is supported: input [N, C, H, W] with grid [N, H_out, W_out, 2], not {TensorShape.Format(x)} with {TensorShape.Format(grid)}");
        }

        var modeName = context.Attributes.String("mode", context.Opset >= 20 ? "linear" : "bilinear");
        GridSampleMode mode = modeName switch
        {
            "bilinear" or "linear" => GridSampleMode.Linear,
            "nearest" => GridSampleMode.Nearest,
            "bicubic" or "cubic" => GridSampleMode.Cubic,
            _ => throw context.Fail($"mode '{modeName}' is not one of linear (bilinear), nearest, cubic (bicubic)"),
        };
        var paddingName = context.Attributes.String("padding_mode", "zeros");
        GridPadding padding = paddingName switch
        {
            "zeros" => GridPadding.Zeros,
            "border" => GridPadding.Border,
            "reflection" => GridPadding.Reflection,
            _ => throw context.Fail($"padding_mode '{paddingName}' is not one of zeros, border, reflection"),
        };
        if (x[2] == 0 || x[3] == 0)
        {
            throw context.Fail("the input image is empty, so there is nothing to sample");
        }

        int[] shape = [x[0], x[1], grid[1], grid[2]];
        IndexingPlanner.WithinLimit(context, shape);
        return (shape, new GridSampleOptions(mode, padding, context.Attributes.Int("align_corners", 0) != 0));
    }

    public static void RoiAlign(NodeContext context)
    {
        var (shape, batchIndices, options) = RoiAlignLayout(context);
        context.AddStep(new RoiAlignStep(context.Operand(0), context.Operand(1), batchIndices, context.Output(0, shape), context.Shape(0), options));
    }

    public static (int[] Shape, int[] BatchIndices, RoiAlignOptions Options) RoiAlignLayout(NodeContext context)
    {
        var x = context.Shape(0);
        var rois = context.Shape(1);
        var indices = context.RequireConstant(2, "batch_indices").AsIntegers();
        if (x.Length != 4 || rois.Length != 2 || rois[1] != 4 || indices.Length != rois[0])
        {
            throw context.Fail($"RoiAlign needs input [N, C, H, W], rois [R, 4] and R batch indices, not {TensorShape.Format(x)}, {TensorShape.Format(rois)} and {indices.Length}");
        }

        if (indices.Any(i => i < 0 || i >= x[0]))
        {
            throw context.Fail($"a batch index is outside the input's batch of {x[0]}");
        }

        var mode = context.Attributes.String("mode", "avg");
        if (mode is not ("avg" or "max"))
        {
            throw context.Fail($"mode '{mode}' is not avg or max");
        }

        // Opset 10 knew only output_half_pixel; opset 16 added the attribute with half_pixel as its default.
        var transform = context.Attributes.String("coordinate_transformation_mode", context.Opset >= 16 ? "half_pixel" : "output_half_pixel");
        if (transform is not ("half_pixel" or "output_half_pixel"))
        {
            throw context.Fail($"coordinate_transformation_mode '{transform}' is not half_pixel or output_half_pixel");
        }

        var outHeight = context.Attributes.Int("output_height", 1);
        var outWidth = context.Attributes.Int("output_width", 1);
        var samplingRatio = context.Attributes.Int("sampling_ratio", 0);
        if (outHeight < 1 || outWidth < 1 || outHeight * outWidth > context.Options.MaxElementsPerTensor || samplingRatio < 0 || samplingRatio > 1024)
        {
            throw context.Fail($"output_height {outHeight}, output_width {outWidth} and sampling_ratio {samplingRatio} must be positive (the ratio may be 0) and within limits");
        }

        var options = new RoiAlignOptions(mode == "max", transform == "half_pixel", (int)outHeight, (int)outWidth, (int)samplingRatio, context.Attributes.Float("spatial_scale", 1f));
        int[] shape = [rois[0], x[1], (int)outHeight, (int)outWidth];
        IndexingPlanner.WithinLimit(context, shape);
        return (shape, [.. indices.Select(i => (int)i)], options);
    }
}
