using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.ConvTranspose;
using ConvService.Inference.Operators.VolumeConv;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>
/// ConvTranspose over 1, 2 or 3 spatial axes with constant weights: groups, strides, dilations, pads, auto_pad,
/// output_padding and output_shape, sized and padded as ONNX Runtime does.
/// </summary>
internal static class ConvTransposePlanner
{
    public static void Plan(NodeContext context)
    {
        var x = context.Shape(0);
        var w = context.RequireConstant(1, "the weight tensor");
        var spatial = x.Length - 2;
        if (spatial is < 1 or > 3 || w.Dims.Length != x.Length)
        {
            throw context.Fail($"ConvTranspose needs an input of rank 3 to 5 and weights of the same rank (input rank {x.Length}, weight rank {w.Dims.Length})");
        }

        var a = context.Attributes;
        var group = (int)a.Int("group", 1);
        if (group < 1 || x[1] % group != 0 || w.Dims[0] != x[1])
        {
            throw context.Fail($"weights {TensorShape.Format(w.Dims)} with group={group} do not fit {x[1]} input channels");
        }

        var outChannels = w.Dims[1] * group;
        var kernel = w.Dims[2..];
        if (a.Ints("kernel_shape") is { } kernelShape && !kernelShape.Select(k => (int)k).SequenceEqual(kernel))
        {
            throw context.Fail($"kernel_shape [{string.Join(", ", kernelShape)}] disagrees with the weights {TensorShape.Format(w.Dims)}");
        }

        var strides = Positive(context, a.Ints("strides"), spatial, "strides");
        var dilations = Positive(context, a.Ints("dilations"), spatial, "dilations");
        var outputPadding = a.Ints("output_padding") ?? new long[spatial];
        var pads = a.Ints("pads") ?? new long[2 * spatial];
        if (outputPadding.Length != spatial || pads.Length != 2 * spatial || outputPadding.Any(p => p < 0) || pads.Any(p => p < 0))
        {
            throw context.Fail($"pads need {2 * spatial} and output_padding {spatial} non-negative numbers");
        }

        var autoPad = a.String("auto_pad", "NOTSET");
        if (autoPad is not ("NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER"))
        {
            throw context.Fail($"auto_pad '{autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
        }

        var outputShape = a.Ints("output_shape");
        if (outputShape is not null)
        {
            outputShape = outputShape.Length == x.Length ? outputShape[2..] : outputShape;
            if (outputShape.Length != spatial)
            {
                throw context.Fail($"output_shape [{string.Join(", ", outputShape)}] does not give {spatial} spatial sizes");
            }
        }

        int[] inSize = [1, 1, 1], outSize = [1, 1, 1], k3 = [1, 1, 1], s3 = [1, 1, 1], d3 = [1, 1, 1], padBegin = [0, 0, 0];
        for (var i = 0; i < spatial; i++)
        {
            var at = 3 - spatial + i;
            var extent = ((kernel[i] - 1) * dilations[i]) + 1;
            var full = ((x[2 + i] - 1) * strides[i]) + (int)outputPadding[i] + extent;
            int begin, size;
            if (outputShape is not null || autoPad is "SAME_UPPER" or "SAME_LOWER")
            {
                // A total padding that makes the output the wanted size, split as ONNX (1.15 on) and ONNX Runtime
                // split it: an odd unit goes to the end for SAME_UPPER, to the start otherwise.
                size = outputShape is not null ? (int)outputShape[i] : x[2 + i] * strides[i];
                var total = Math.Max(0, full - size);
                begin = autoPad == "SAME_UPPER" ? total / 2 : total - (total / 2);
            }
            else
            {
                begin = autoPad == "VALID" ? 0 : (int)pads[i];
                var end = autoPad == "VALID" ? 0 : (int)pads[spatial + i];
                size = full - begin - end;
            }

            if (size < 1)
            {
                throw context.Fail($"spatial axis {i} of the output would have size {size}");
            }

            inSize[at] = x[2 + i];
            outSize[at] = size;
            k3[at] = kernel[i];
            s3[at] = strides[i];
            d3[at] = dilations[i];
            padBegin[at] = begin;
        }

        float[] bias = [];
        if (context.Has(2))
        {
            bias = context.RequireConstant(2, "the bias").AsFloats();
            if (bias.Length != outChannels)
            {
                throw context.Fail($"the bias has {bias.Length} values for {outChannels} output channels");
            }
        }

        var geometry = new VolumeConvGeometry(x[1], outChannels, group, inSize, outSize, k3, s3, d3, padBegin);
        var convTranspose = new ConvTransposeKernel(geometry, w.AsFloats(), bias);
        var input = context.Slot(0);
        var output = context.Output(0, [x[0], outChannels, .. outSize[(3 - spatial)..]]);
        context.AddStep(new ConvTransposeStep(convTranspose, input, output, x[0], context.Options.Simd), w.Length + bias.Length, geometry.Transposed().MacsPerImage * x[0]);
    }

    private static int[] Positive(NodeContext context, long[]? values, int count, string name)
    {
        values ??= Enumerable.Repeat(1L, count).ToArray();
        if (values.Length != count || values.Any(v => v < 1 || v > 1 << 16))
        {
            throw context.Fail($"{name} must be {count} positive numbers");
        }

        return values.Select(v => (int)v).ToArray();
    }
}
