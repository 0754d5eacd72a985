using System.Globalization;
using ConvService.Contracts.Networks;

namespace ConvService.Inference.Networks;

/// <summary>
/// Walks a spec layer by layer, carrying the activation shape and receptive field, and writes one report row per
/// layer. Every count is exact (checked long arithmetic); any impossibility is refused naming the layer.
/// </summary>
internal sealed class NetworkWalker(ResNetVariant variant, FitMode fit, NetworkLimits limits)
{
    private readonly List<LayerReport> rows = [];
    private long weights;
    private long biases;
    private long macs;
    private long activations;
    private int layers;
    private int weightLayers;

    public IReadOnlyList<LayerReport> Rows => rows;

    public NetworkTotals Totals
    {
        get
        {
            var parameters = checked(weights + biases);
            var bytes = checked(activations * sizeof(float));
            return new NetworkTotals
            {
                Weights = weights,
                Biases = biases,
                Parameters = parameters,
                ParameterBytes = checked(parameters * sizeof(float)),
                Activations = activations,
                ActivationBytes = bytes,
                TrainingActivationBytes = checked(bytes * 2),
                Macs = macs,
                Flops = checked(macs * 2),
                Layers = layers,
                WeightLayers = weightLayers,
            };
        }
    }

    public TensorShape Walk(TensorShape input, IReadOnlyList<LayerSpec> spec)
    {
        AddRow(new LayerSite("input", "input", "input", 0), "input", input, input, FieldOfView.Pixel, 0, 0, 0, inPlace: false,
            formula: $"{input.Height}*{input.Width}*{input.Channels} = {Number(input.Count)} values", parameterFormula: "");
        var flow = (Shape: input, Field: FieldOfView.Pixel);
        flow = WalkSequence(spec, flow, indexPrefix: "", pathPrefix: "layers", namePrefix: "", level: 0);
        return flow.Shape;
    }

    private (TensorShape Shape, FieldOfView Field) WalkSequence(
        IReadOnlyList<LayerSpec> sequence, (TensorShape Shape, FieldOfView Field) flow, string indexPrefix, string pathPrefix, string namePrefix, int level)
    {
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Count; i++)
        {
            var layer = sequence[i];
            var type = layer is null ? "null" : TypeName(layer);
            counters[type] = counters.GetValueOrDefault(type) + 1;
            var name = string.IsNullOrWhiteSpace(layer?.Name) ? $"{namePrefix}{type}{counters[type]}" : layer.Name!;
            var site = new LayerSite($"{indexPrefix}{i}", $"{pathPrefix}[{i}]", name, level);
            if (layer is null)
            {
                throw NetworkErrors.InvalidInput(site, "Missing layer", "the layer is null. Fix: remove it or give an object with a \"type\".");
            }

            try
            {
                flow = WalkLayer(layer, flow, site);
            }
            catch (OverflowException)
            {
                throw NetworkErrors.DoesNotFit(site, "Numbers too large",
                    "its sizes make a count larger than 64-bit integers (or a dimension larger than 2^31) can hold. Fix: use smaller sizes.");
            }
        }

        return flow;
    }

    private (TensorShape Shape, FieldOfView Field) WalkLayer(LayerSpec layer, (TensorShape Shape, FieldOfView Field) flow, LayerSite site)
    {
        var (input, field) = flow;
        switch (layer)
        {
            case ConvLayerSpec conv:
                return Conv(conv, input, field, site);
            case LocalLayerSpec local:
                return Local(local, input, field, site);
            case PoolLayerSpec pool:
                return Pool(pool, input, field, site);
            case GlobalPoolLayerSpec:
                {
                    var output = new TensorShape(input.Channels, 1, 1);
                    var seen = field.Through(input.Height, input.Width, 1, 1);
                    AddLeaf(site, "globalpool", input, output, seen, 0, 0, 0, inPlace: false,
                        $"{input.Height}x{input.Width} averaged per channel to 1x1: {output.Text}", "");
                    return (output, seen);
                }

            case ReluLayerSpec or ActivationLayerSpec or SoftmaxLayerSpec:
                AddLeaf(site, TypeName(layer), input, input, field, 0, 0, 0, inPlace: true, "same shape, element-wise (in place)", "");
                return flow;
            case DropoutLayerSpec dropout:
                if (!(dropout.Rate >= 0 && dropout.Rate < 1))
                {
                    throw NetworkErrors.DoesNotFit(site, "Invalid dropout rate",
                        $"rate {dropout.Rate.ToString(CultureInfo.InvariantCulture)} is outside [0, 1). Fix: give the fraction of units to drop, e.g. 0.5.");
                }

                AddLeaf(site, "dropout", input, input, field, 0, 0, 0, inPlace: true, "same shape (in place; identity at inference)", "");
                return flow;
            case LrnLayerSpec lrn:
                LayerValidation.RequirePositive(site, "size", lrn.Size);
                AddLeaf(site, "lrn", input, input, field, 0, 0, 0, inPlace: false, $"same shape, normalised over {lrn.Size} neighbouring channels", "no parameters");
                return flow;
            case BatchNormLayerSpec bn:
                {
                    var c = bn.Affine ? input.Channels : 0;
                    var text = bn.Affine
                        ? $"scale {Number(c)} + shift {Number(c)} learnable (counted as weights and biases); running mean and variance are buffers, not parameters"
                        : "no learnable parameters (affine off); running mean and variance are buffers";
                    AddLeaf(site, "batchnorm", input, input, field, c, c, 0, inPlace: false, "same shape", text);
                    return flow;
                }

            case FlattenLayerSpec:
                {
                    var output = new TensorShape(checked((int)input.Count), 1, 1);
                    AddLeaf(site, "flatten", input, output, field, 0, 0, 0, inPlace: true,
                        $"{input.Height}*{input.Width}*{input.Channels} = {Number(input.Count)}", "");
                    return (output, field);
                }

            case FcLayerSpec fc:
                return FullyConnected(fc, input, field, site);
            case InceptionLayerSpec inception:
                LayerValidation.Inception(inception, site);
                return Block(site, "inception", BlockExpansion.Inception(inception, site.Name), flow, namedChildren: true);
            case ResidualLayerSpec residual:
                LayerValidation.RequirePositive(site, "filters", residual.Filters);
                LayerValidation.RequirePositive(site, "stride", residual.Stride);
                if (residual.Expansion is { } e)
                {
                    LayerValidation.RequirePositive(site, "expansion", e);
                }

                return Block(site, "residual", BlockExpansion.Residual(residual, site.Name, input.Channels, variant), flow, namedChildren: true);
            case BranchesLayerSpec branches:
                if (branches.Branches is null || branches.Branches.Count == 0)
                {
                    throw NetworkErrors.DoesNotFit(site, "No branches",
                        "a branches block needs at least one branch. Fix: list the branches, e.g. [[...layers], []] (an empty branch is the identity).");
                }

                return Block(site, "branches", new ExpandedBlock(branches.Branches, branches.Merge, []), flow, namedChildren: false);
            default:
                throw NetworkErrors.InvalidInput(site, "Unknown layer type",
                    $"layer kind {layer.GetType().Name} is not supported. Fix: use one of {string.Join(", ", LayerSpec.TypeNames)}.");
        }
    }

    private (TensorShape, FieldOfView) Conv(ConvLayerSpec conv, TensorShape input, FieldOfView field, LayerSite site)
    {
        LayerValidation.RequirePositive(site, "filters", conv.Filters);
        LayerValidation.RequireWindow(site, conv.Size, conv.Stride, conv.Padding);
        LayerValidation.RequirePositive(site, "dilation", Math.Min(conv.Dilation.Height, conv.Dilation.Width));
        LayerValidation.RequirePositive(site, "groups", conv.Groups);
        if (input.Channels % conv.Groups != 0 || conv.Filters % conv.Groups != 0)
        {
            throw NetworkErrors.DoesNotFit(site, "Groups do not divide the channels",
                $"groups {conv.Groups} must divide both the input depth {input.Channels} and the filter count {conv.Filters}. " +
                "Fix: choose groups that divides both (1 for an ordinary conv, the depth for a depthwise conv).");
        }

        var rounding = fit == FitMode.Floor ? Rounding.Floor : Rounding.Exact;
        var h = SpatialArithmetic.Resolve(site, "height", input.Height, conv.Size.Height, conv.Dilation.Height, conv.Stride.Height, conv.Padding, true, rounding);
        var w = SpatialArithmetic.Resolve(site, "width", input.Width, conv.Size.Width, conv.Dilation.Width, conv.Stride.Width, conv.Padding, false, rounding);
        var output = new TensorShape(conv.Filters, h.Output, w.Output);
        var depth = input.Channels / conv.Groups;
        var perFilter = checked((long)conv.Size.Height * conv.Size.Width * depth);
        var weightCount = checked(perFilter * conv.Filters);
        var biasCount = conv.Bias ? conv.Filters : 0;
        var depthText = conv.Groups == 1 ? $"{depth}" : $"{input.Channels}/{conv.Groups}";
        var parameterText = $"({conv.Size.Height}*{conv.Size.Width}*{depthText})*{conv.Filters} = {Number(weightCount)} weights" +
            (conv.Bias ? $" + {Number(biasCount)} biases" : " (no bias)");
        var seen = field.Through(
            conv.Dilation.Height * (conv.Size.Height - 1) + 1, conv.Dilation.Width * (conv.Size.Width - 1) + 1, conv.Stride.Height, conv.Stride.Width);
        AddLeaf(site, "conv", input, output, seen, weightCount, biasCount, checked(output.Count * perFilter), inPlace: false,
            SpatialArithmetic.Join(h, w), parameterText, weightLayer: true);
        return (output, seen);
    }

    private (TensorShape, FieldOfView) Local(LocalLayerSpec local, TensorShape input, FieldOfView field, LayerSite site)
    {
        LayerValidation.RequirePositive(site, "filters", local.Filters);
        LayerValidation.RequireWindow(site, local.Size, local.Stride, local.Padding);
        var rounding = fit == FitMode.Floor ? Rounding.Floor : Rounding.Exact;
        var h = SpatialArithmetic.Resolve(site, "height", input.Height, local.Size.Height, 1, local.Stride.Height, local.Padding, true, rounding);
        var w = SpatialArithmetic.Resolve(site, "width", input.Width, local.Size.Width, 1, local.Stride.Width, local.Padding, false, rounding);
        var output = new TensorShape(local.Filters, h.Output, w.Output);
        var positions = checked((long)h.Output * w.Output);
        var perFilter = checked((long)local.Size.Height * local.Size.Width * input.Channels);
        var weightCount = checked(positions * perFilter * local.Filters);
        var biasCount = local.Bias ? checked(positions * local.Filters) : 0;
        var parameterText = $"({h.Output}*{w.Output} positions)*({local.Size.Height}*{local.Size.Width}*{input.Channels})*{local.Filters} = " +
            $"{Number(weightCount)} unshared weights" + (local.Bias ? $" + {Number(biasCount)} biases" : " (no bias)");
        var seen = field.Through(local.Size.Height, local.Size.Width, local.Stride.Height, local.Stride.Width);
        AddLeaf(site, "local", input, output, seen, weightCount, biasCount, checked(output.Count * perFilter), inPlace: false,
            SpatialArithmetic.Join(h, w), parameterText, weightLayer: true);
        return (output, seen);
    }

    private (TensorShape, FieldOfView) Pool(PoolLayerSpec pool, TensorShape input, FieldOfView field, LayerSite site)
    {
        var stride = pool.Stride ?? pool.Size;
        LayerValidation.RequireWindow(site, pool.Size, stride, pool.Padding);
        if (pool.Padding.Mode == PaddingMode.Explicit &&
            (Math.Max(pool.Padding.Top, pool.Padding.Bottom) > pool.Size.Height / 2 || Math.Max(pool.Padding.Left, pool.Padding.Right) > pool.Size.Width / 2))
        {
            throw NetworkErrors.DoesNotFit(site, "Pool padding too large",
                $"padding may be at most half the {pool.Size} window, else a window could hold only padding. Fix: use padding <= {pool.Size.Height / 2}.");
        }

        var rounding = pool.CeilMode ? Rounding.Ceil : fit == FitMode.Floor ? Rounding.Floor : Rounding.Exact;
        var h = SpatialArithmetic.Resolve(site, "height", input.Height, pool.Size.Height, 1, stride.Height, pool.Padding, true, rounding);
        var w = SpatialArithmetic.Resolve(site, "width", input.Width, pool.Size.Width, 1, stride.Width, pool.Padding, false, rounding);
        var output = new TensorShape(input.Channels, h.Output, w.Output);
        var seen = field.Through(pool.Size.Height, pool.Size.Width, stride.Height, stride.Width);
        AddLeaf(site, "pool", input, output, seen, 0, 0, 0, inPlace: false, SpatialArithmetic.Join(h, w), "no parameters");
        return (output, seen);
    }

    private (TensorShape, FieldOfView) FullyConnected(FcLayerSpec fc, TensorShape input, FieldOfView field, LayerSite site)
    {
        LayerValidation.RequirePositive(site, "units", fc.Units);
        var inputs = input.Count;
        var weightCount = checked(inputs * fc.Units);
        var biasCount = fc.Bias ? fc.Units : 0;
        var output = new TensorShape(fc.Units, 1, 1);
        var inputText = input.Height == 1 && input.Width == 1 ? $"{input.Channels}" : $"{input.Height}*{input.Width}*{input.Channels}";
        var parameterText = $"{inputText}*{fc.Units} = {Number(weightCount)} weights" + (fc.Bias ? $" + {Number(biasCount)} biases" : " (no bias)");
        var seen = field.Through(input.Height, input.Width, 1, 1);
        AddLeaf(site, "fc", input, output, seen, weightCount, biasCount, weightCount, inPlace: false,
            $"{Number(inputs)} inputs to {Number(fc.Units)} units", parameterText, weightLayer: true);
        return (output, seen);
    }

    private (TensorShape, FieldOfView) Block(LayerSite site, string type, ExpandedBlock block, (TensorShape Shape, FieldOfView Field) flow, bool namedChildren)
    {
        if (site.Level + 1 > limits.MaxNestingDepth)
        {
            throw NetworkErrors.OverLimit(site, "Blocks nested too deeply",
                $"blocks may nest at most {limits.MaxNestingDepth} deep (ConvService:Networks:MaxNestingDepth). Fix: flatten the spec.");
        }

        var rowAt = rows.Count;
        rows.Add(null!); // the block row goes before its inner rows; filled in once they are known
        var (w0, b0, m0) = (weights, biases, macs);
        var outputs = new List<(TensorShape Shape, FieldOfView Field)>();
        for (var b = 0; b < block.Branches.Count; b++)
        {
            var branch = block.Branches[b] ?? [];
            var prefix = namedChildren ? $"{site.Name}/" : $"{site.Name}/b{b}/";
            outputs.Add(WalkSequence(branch, flow, $"{site.Index}.{b}.", $"{site.Path}.branches[{b}]", prefix, site.Level + 1));
        }

        var (merged, formula) = Merge(site, block.Merge, outputs);
        var field = outputs.Select(o => o.Field).Aggregate(FieldOfView.Widest);
        var after = WalkSequence(block.After, (merged, field), $"{site.Index}.after.", $"{site.Path}.after", $"{site.Name}/", site.Level + 1);
        var (dw, db, dm) = (weights - w0, biases - b0, macs - m0);
        activations = checked(activations + merged.Count);
        rows[rowAt] = Row(site, type, flow.Shape, after.Shape, after.Field, dw, db, dm, inPlace: false, formula,
            $"sum of its layers: {Number(dw)} weights + {Number(db)} biases", isBlock: true);
        return after;
    }

    private static (TensorShape, string) Merge(LayerSite site, MergeMode merge, List<(TensorShape Shape, FieldOfView Field)> outputs)
    {
        var first = outputs[0].Shape;
        if (merge == MergeMode.Add)
        {
            for (var b = 1; b < outputs.Count; b++)
            {
                var other = outputs[b].Shape;
                if (other != first)
                {
                    var what = other.Channels != first.Channels ? "Channel mismatch in add" : "Spatial mismatch in add";
                    throw NetworkErrors.DoesNotFit(site, what,
                        $"add needs every branch to give the same shape, but branch 0 gives {first.Text} and branch {b} gives {other.Text}. " +
                        "Fix: add a 1x1 conv projection (with the same stride) to the shorter branch so depths and sizes match.");
                }
            }

            var terms = string.Join(" + ", outputs.Select(o => o.Shape.Text));
            return (first, $"{terms} = {first.Text} (element-wise sum)");
        }

        var channels = 0L;
        for (var b = 0; b < outputs.Count; b++)
        {
            var other = outputs[b].Shape;
            if (other.Height != first.Height || other.Width != first.Width)
            {
                throw NetworkErrors.DoesNotFit(site, "Spatial mismatch in concat",
                    $"concat stacks branches along depth, so all must have the same height and width, but branch 0 gives {first.Text} " +
                    $"and branch {b} gives {other.Text}. Fix: pad (\"same\") or stride the branches so their sizes agree.");
            }

            channels += other.Channels;
        }

        var output = new TensorShape(checked((int)channels), first.Height, first.Width);
        var sum = string.Join(" + ", outputs.Select(o => o.Shape.Channels));
        return (output, $"{sum} = {output.Channels} channels at {first.Height}x{first.Width}: {output.Text}");
    }

    private void AddLeaf(LayerSite site, string type, TensorShape input, TensorShape output, FieldOfView field,
        long weightCount, long biasCount, long macCount, bool inPlace, string formula, string parameterText, bool weightLayer = false)
    {
        layers++;
        if (layers > limits.MaxLayers)
        {
            throw NetworkErrors.OverLimit(site, "Too many layers",
                $"the network has more than {limits.MaxLayers} layers (blocks expanded; ConvService:Networks:MaxLayers). Fix: send a smaller network.");
        }

        weights = checked(weights + weightCount);
        biases = checked(biases + biasCount);
        if (weights + biases > limits.MaxParameters)
        {
            throw NetworkErrors.OverLimit(site, "Too many parameters",
                $"the network reaches {Number(weights + biases)} parameters here, more than the limit {Number(limits.MaxParameters)} " +
                "(ConvService:Networks:MaxParameters). Fix: use fewer or smaller layers.");
        }

        macs = checked(macs + macCount);
        weightLayers += weightLayer ? 1 : 0;
        AddRow(site, type, input, output, field, weightCount, biasCount, macCount, inPlace, formula, parameterText);
    }

    private void AddRow(LayerSite site, string type, TensorShape input, TensorShape output, FieldOfView field,
        long weightCount, long biasCount, long macCount, bool inPlace, string formula, string parameterFormula)
    {
        if (!inPlace)
        {
            activations = checked(activations + output.Count);
        }

        rows.Add(Row(site, type, input, output, field, weightCount, biasCount, macCount, inPlace, formula, parameterFormula, isBlock: false));
    }

    private static LayerReport Row(LayerSite site, string type, TensorShape input, TensorShape output, FieldOfView field,
        long weightCount, long biasCount, long macCount, bool inPlace, string formula, string parameterFormula, bool isBlock) => new()
        {
            Index = site.Index,
            Name = site.Name,
            Type = type,
            Level = site.Level,
            IsBlock = isBlock,
            InputShape = input.Text,
            OutputShape = output.Text,
            InputDims = input.Dims,
            OutputDims = output.Dims,
            Weights = weightCount,
            Biases = biasCount,
            Parameters = checked(weightCount + biasCount),
            Activations = output.Count,
            ActivationBytes = checked(output.Count * sizeof(float)),
            InPlace = inPlace,
            Macs = macCount,
            ReceptiveFieldHeight = field.Height,
            ReceptiveFieldWidth = field.Width,
            JumpHeight = field.JumpHeight,
            JumpWidth = field.JumpWidth,
            Formula = formula,
            ParameterFormula = parameterFormula,
        };

    internal static string TypeName(LayerSpec layer) => layer switch
    {
        ConvLayerSpec => "conv",
        LocalLayerSpec => "local",
        PoolLayerSpec => "pool",
        GlobalPoolLayerSpec => "globalpool",
        ReluLayerSpec => "relu",
        ActivationLayerSpec a => a.Function.ToString().ToLowerInvariant(),
        LrnLayerSpec => "lrn",
        BatchNormLayerSpec => "batchnorm",
        DropoutLayerSpec => "dropout",
        FlattenLayerSpec => "flatten",
        FcLayerSpec => "fc",
        SoftmaxLayerSpec => "softmax",
        InceptionLayerSpec => "inception",
        ResidualLayerSpec => "residual",
        BranchesLayerSpec => "branches",
        _ => "layer",
    };

    internal static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
