using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Operators.Elementwise;
using ConvService.Inference.Operators.VolumeConv;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>3-D Conv over NCDHW with constant weights (groups, strides, dilations, pads, auto_pad), as im2col then GEMM.</summary>
internal static class VolumeConvPlanner
{
    public static void Plan(NodeContext context)
    {
        var x = context.Shape(0);
        var w = context.RequireConstant(1, "the weight tensor");
        var a = context.Attributes;
        var group = (int)a.Int("group", 1);
        var outChannels = w.Dims[0];
        var kernel = w.Dims[2..];
        if (w.Dims.Length != 5 || group < 1 || x[1] % group != 0 || outChannels % group != 0 || w.Dims[1] != x[1] / group)
        {
            throw context.Fail($"weights {TensorShape.Format(w.Dims)} with group={group} do not fit {x[1]} input channels");
        }

        if (a.Ints("kernel_shape") is { } kernelShape && !kernelShape.Select(k => (int)k).SequenceEqual(kernel))
        {
            throw context.Fail($"kernel_shape [{string.Join(", ", kernelShape)}] disagrees with the weights {TensorShape.Format(w.Dims)}");
        }

        var strides = a.Ints("strides") ?? [1, 1, 1];
        var dilations = a.Ints("dilations") ?? [1, 1, 1];
        if (strides.Length != 3 || dilations.Length != 3 || strides.Any(s => s < 1) || dilations.Any(d => d < 1))
        {
            throw context.Fail("strides and dilations must be 3 positive numbers");
        }

        var pads = WindowPadding.Resolve(context, x[2..], kernel, strides, dilations);
        var outSize = new int[3];
        for (var i = 0; i < 3; i++)
        {
            outSize[i] = ((x[2 + i] + pads[i] + pads[3 + i] - (((kernel[i] - 1) * (int)dilations[i]) + 1)) / (int)strides[i]) + 1;
            if (outSize[i] < 1)
            {
                throw context.Fail($"the kernel does not fit spatial axis {i} of the input with these pads and dilations");
            }
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

        var geometry = new VolumeConvGeometry(
            x[1], outChannels, group, x[2..], outSize, kernel,
            strides.Select(s => (int)s).ToArray(), dilations.Select(d => (int)d).ToArray(), pads[..3]);
        var kernelPlan = new VolumeConvKernel(geometry, w.AsFloats(), bias);
        int[] outputShape = [x[0], outChannels, .. outSize];
        var input = context.Slot(0);
        var parameters = w.Length + bias.Length;

        // A residual Add and an activation folded into the node at load run as their own steps after the convolution.
        if (context.Has(3))
        {
            var residual = context.Input(3);
            var broadcast = BroadcastBinary.Create(outputShape, residual.Shape)
                ?? throw context.Fail($"the convolution's output {TensorShape.Format(outputShape)} and the added {TensorShape.Format(residual.Shape)} do not broadcast");
            var bare = context.Temporary("convolution before the Add", outputShape);
            context.AddStep(new VolumeConvStep(kernelPlan, input, bare, x[0], context.Options.Simd), parameters, geometry.MacsPerImage * x[0]);
            var sum = context.Output(0, broadcast.OutputShape);
            context.AddStep(new BinaryStep(BinaryKind.Add, broadcast, Operand.OfSlot(bare), context.Operand(3), sum, context.Node.Activation, context.Options.Simd));
            return;
        }

        var output = context.Output(0, outputShape);
        context.AddStep(new VolumeConvStep(kernelPlan, input, output, x[0], context.Options.Simd), parameters, geometry.MacsPerImage * x[0]);
        if (context.Node.Activation.Kind != ActivationKind.None)
        {
            context.AddStep(new ActivationStep(Operand.OfSlot(output), output, context.Node.Activation, context.Options.Simd));
        }
    }
}
