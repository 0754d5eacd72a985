namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>Explicit pads or auto_pad for Conv and pooling windows, as [top, left, bottom, right].</summary>
internal static class WindowPadding
{
    public static int[] Resolve(NodeContext context, int[] input, int[] kernel, long[] strides, long[] dilations)
    {
        var autoPad = context.Attributes.String("auto_pad", "NOTSET");
        var pads = new int[4];
        switch (autoPad)
        {
            case "NOTSET":
                var explicitPads = context.Attributes.Ints("pads") ?? [0, 0, 0, 0];
                if (explicitPads.Length != 4 || explicitPads.Any(p => p < 0 || p > 1 << 20))
                {
                    throw context.Fail($"pads [{string.Join(", ", explicitPads)}] must be four non-negative numbers");
                }

                return [(int)explicitPads[0], (int)explicitPads[1], (int)explicitPads[2], (int)explicitPads[3]];
            case "VALID":
                return pads;
            case "SAME_UPPER":
            case "SAME_LOWER":
                for (var axis = 0; axis < 2; axis++)
                {
                    var stride = (int)strides[axis];
                    var extent = (kernel[axis] - 1) * (int)dilations[axis] + 1;
                    var outSize = (input[axis] + stride - 1) / stride;
                    var total = Math.Max(0, (outSize - 1) * stride + extent - input[axis]);
                    var small = total / 2;
                    var begin = autoPad == "SAME_UPPER" ? small : total - small;
                    pads[axis] = begin;
                    pads[axis + 2] = total - begin;
                }

                return pads;
            default:
                throw context.Fail($"auto_pad '{autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
        }
    }
}
