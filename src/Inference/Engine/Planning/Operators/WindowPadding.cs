namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>Explicit pads or auto_pad for Conv and pooling windows over n spatial axes, as [begin..., end...] ([top, left, bottom, right] in 2-D).</summary>
internal static class WindowPadding
{
    public static int[] Resolve(NodeContext context, int[] input, int[] kernel, long[] strides, long[] dilations)
    {
        var n = input.Length;
        var autoPad = context.Attributes.String("auto_pad", "NOTSET");
        var pads = new int[2 * n];
        switch (autoPad)
        {
            case "NOTSET":
                var explicitPads = context.Attributes.Ints("pads") ?? new long[2 * n];
                if (explicitPads.Length != 2 * n || explicitPads.Any(p => p < 0 || p > 1 << 20))
                {
                    throw context.Fail($"pads [{string.Join(", ", explicitPads)}] must be {2 * n} non-negative numbers");
                }

                return explicitPads.Select(p => (int)p).ToArray();
            case "VALID":
                return pads;
            case "SAME_UPPER":
            case "SAME_LOWER":
                for (var axis = 0; axis < n; axis++)
                {
                    var stride = (int)strides[axis];
                    var extent = (kernel[axis] - 1) * (int)dilations[axis] + 1;
                    var outSize = (input[axis] + stride - 1) / stride;
                    var total = Math.Max(0, (outSize - 1) * stride + extent - input[axis]);
                    var small = total / 2;
                    var begin = autoPad == "SAME_UPPER" ? small : total - small;
                    pads[axis] = begin;
                    pads[axis + n] = total - begin;
                }

                return pads;
            default:
                throw context.Fail($"auto_pad '{autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
        }
    }
}
