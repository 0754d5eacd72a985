using ConvService.Inference.Engine.Steps;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>BatchNormalization that could not be folded, and LRN.</summary>
internal static class NormalizationPlanner
{
    public static void BatchNormalization(NodeContext context)
    {
        var x = context.Shape(0);
        if (x.Length < 2)
        {
            throw context.Fail("the input needs a channel dimension");
        }

        if (context.Attributes.Int("training_mode", 0) != 0 || Enumerable.Range(1, 4).Any(context.OutputUsed))
        {
            throw context.Fail("training mode (batch statistics, running-mean outputs) is not supported; export the model for inference");
        }

        // Before opset 9, spatial = 0 gives every channel and position its own statistics: [C, D1, ...] parameters.
        var perElement = TensorShape.Product(x, 1, x.Length);
        if (context.Attributes.Int("spatial", 1) == 0 && perElement != x[1] && context.RequireConstant(1, "scale").Length == perElement)
        {
            var (elementScale, elementShift) = BatchNormFolding.ScaleAndShift(context.Node, i => context.RequireConstant(i, "a BatchNormalization parameter"), perElement);
            var source = context.Operand(0);
            var result = context.Output(0, x);
            context.AddStep(new ElementAffineStep(source, result, elementScale, elementShift, x[0]), elementScale.Length * 4);
            return;
        }

        var (scale, shift) = BatchNormFolding.ScaleAndShift(context.Node, i => context.RequireConstant(i, "a BatchNormalization parameter"), x[1]);
        var input = context.Operand(0);
        var output = context.Output(0, x);
        context.AddStep(new ChannelAffineStep(input, output, scale, shift, x[0], TensorShape.Product(x, 2, x.Length), context.Options.Simd), scale.Length * 4);
    }

    public static void Lrn(NodeContext context)
    {
        var x = context.Shape(0);
        if (x.Length < 3)
        {
            throw context.Fail("LRN needs an input of rank 3 or more (N, C, ...)");
        }

        var a = context.Attributes;
        var size = (int)a.Int("size", 0);
        if (size < 1)
        {
            throw context.Fail("the size attribute must be a positive odd number");
        }

        var input = context.Slot(0);
        var output = context.Output(0, x);
        context.AddStep(new LrnStep(input, output, x[0], x[1], TensorShape.Product(x, 2, x.Length), size, a.Float("alpha", 1e-4f), a.Float("beta", 0.75f), a.Float("bias", 1f)));
    }
}
