using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Sampling;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>GridSample (opsets 16, 20, 22) on 2-D images: bilinear/linear, nearest, bicubic/cubic; zeros, border or reflection padding.</summary>
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

        return ([x[0], x[1], grid[1], grid[2]], new GridSampleOptions(mode, padding, context.Attributes.Int("align_corners", 0) != 0));
    }
}
