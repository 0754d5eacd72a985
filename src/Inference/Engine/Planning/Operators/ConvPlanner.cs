using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Operators.Elementwise;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>1-D and 2-D Conv over NCW and NCHW (3-D goes to <see cref="VolumeConvPlanner"/>) with constant weights; the packed <see cref="ConvPlan"/> is built once per model and shared by all batch sizes.</summary>
internal static class ConvPlanner
{
    public static void Plan(NodeContext context)
    {
        var x = context.Shape(0);
        var w = context.RequireConstant(1, "the weight tensor");
        if (x.Length == 5)
        {
            VolumeConvPlanner.Plan(context);
            return;
        }

        if (x.Length is not (3 or 4) || w.Dims.Length != x.Length)
        {
            throw context.Fail($"only 1-D, 2-D and 3-D convolutions (input rank 3 to 5) are supported (input rank {x.Length}, weight rank {w.Dims.Length})");
        }

        // A 1-D convolution runs as a 2-D one of height 1.
        var spatial = x.Length - 2;
        var a = context.Attributes;
        var group = (int)a.Int("group", 1);
        var outChannels = w.Dims[0];
        var weightKernel = w.Dims[2..];
        if (group < 1 || x[1] % group != 0 || outChannels % group != 0 || w.Dims[1] != x[1] / group)
        {
            throw context.Fail($"weights {TensorShape.Format(w.Dims)} with group={group} do not fit {x[1]} input channels");
        }

        var kernel = a.Ints("kernel_shape");
        if (kernel is not null && !kernel.Select(k => (int)k).SequenceEqual(weightKernel))
        {
            throw context.Fail($"kernel_shape [{string.Join(", ", kernel)}] disagrees with the weights {TensorShape.Format(w.Dims)}");
        }

        var strides = a.Ints("strides") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var dilations = a.Ints("dilations") ?? Enumerable.Repeat(1L, spatial).ToArray();
        if (strides.Length != spatial || dilations.Length != spatial || strides.Any(s => s < 1) || dilations.Any(d => d < 1))
        {
            throw context.Fail($"strides and dilations must be {spatial} positive numbers");
        }

        var spatialPads = WindowPadding.Resolve(context, x[2..], weightKernel, strides, dilations);
        int[] pads = spatial == 1 ? [0, spatialPads[0], 0, spatialPads[1]] : spatialPads;
        if (spatial == 1)
        {
            strides = [1, strides[0]];
            dilations = [1, dilations[0]];
        }

        int inH = spatial == 1 ? 1 : x[2], inW = x[^1];
        int kh = spatial == 1 ? 1 : weightKernel[0], kw = weightKernel[^1];
        var geometry = new ConvGeometry(
            x[1], inH, inW, outChannels, kh, kw,
            (int)strides[0], (int)strides[1], pads[0], pads[1], pads[2], pads[3],
            (int)dilations[0], (int)dilations[1], group);
        if (geometry.OutHeight < 1 || geometry.OutWidth < 1)
        {
            throw context.Fail($"the {kh}x{kw} kernel does not fit the {inH}x{inW} input with these pads and dilations");
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

        int[] outputShape = spatial == 1 ? [x[0], outChannels, geometry.OutWidth] : [x[0], outChannels, geometry.OutHeight, geometry.OutWidth];

        // A residual Add folded in at load (input 3) is added as the outputs are stored when it is a runtime tensor of
        // the output's shape. Otherwise (a constant, or an addend that broadcasts either way) the bare convolution
        // goes to a temporary and a separate Add step writes the Add's output. Shapes can differ between batch sizes,
        // so a plan cached for another batch is reused only if it made the same choice.
        var residual = context.Has(3) ? context.Input(3) : null;
        var fuseResidual = residual is { IsConstant: false } && residual.Shape.SequenceEqual(outputShape);
        if (!context.ConvPlans.TryGetValue(context.Node, out var plan) || plan.AddsResidual != fuseResidual || plan.Geometry != geometry)
        {
            var activation = residual is null || fuseResidual ? context.Node.Activation : FusedActivation.None;
            plan = ConvPlan.Create(geometry, w.AsFloats(), bias, activation, Workers(geometry, context.Options.DegreeOfParallelism), context.Options.Simd, null, fuseResidual);
            context.ConvPlans.TryAdd(context.Node, plan);
        }

        var input = context.Slot(0);
        if (residual is not null && !fuseResidual)
        {
            var broadcast = BroadcastBinary.Create(outputShape, residual.Shape)
                ?? throw context.Fail($"the convolution's output {TensorShape.Format(outputShape)} and the added {TensorShape.Format(residual.Shape)} do not broadcast");
            var bare = context.Temporary("convolution before the Add", outputShape);
            context.AddStep(new ConvStep(plan, input, -1, bare, x[0]), w.Length + bias.Length, geometry.MacsPerImage * x[0]);
            var sum = context.Output(0, broadcast.OutputShape);
            context.AddStep(new BinaryStep(BinaryKind.Add, broadcast, Operand.OfSlot(bare), context.Operand(3), sum, context.Node.Activation, context.Options.Simd));
            return;
        }

        var residualSlot = fuseResidual ? context.Slot(3) : -1;
        var output = context.Output(0, outputShape);
        context.AddStep(new ConvStep(plan, input, residualSlot, output, x[0]), w.Length + bias.Length, geometry.MacsPerImage * x[0]);
    }

    /// <summary>
    /// A layer too small to be worth waking a helper for (LeNet's, a few hundred thousand multiply-adds) runs on one
    /// thread, as Sgemm's small products do; every ResNet-18 layer is far above the line.
    /// </summary>
    private static int Workers(in ConvGeometry geometry, int degreeOfParallelism) =>
        geometry.MacsPerImage < 1 << 21 ? 1 : degreeOfParallelism;
}
