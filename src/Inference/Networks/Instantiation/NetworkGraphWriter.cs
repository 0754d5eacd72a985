using ConvService.Contracts.Networks;
using ConvService.Inference.Errors;
using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Operators.Pooling;

namespace ConvService.Inference.Networks.Instantiation;

/// <summary>
/// Turns a network spec into an ONNX graph with seeded random weights, so the lecture's architectures can be run,
/// timed and looked inside without downloaded weights. Nodes are named exactly as the network report names the
/// layers ("conv1", "inception3a/3x3_reduce", ...), so a report row and an activation map refer to the same layer.
/// </summary>
public static class NetworkGraphWriter
{
    public const string InputName = "input";

    /// <summary>Validates the spec with the report's rules, then writes the graph; the output is the last layer's.</summary>
    public static ModelProto Write(NetworkSpec spec, NetworkOptions? options = null, int seed = 1, string? batchSymbol = "N")
    {
        options ??= NetworkOptions.Default;

        // The analyzer is the single judge of what is a valid spec; its errors name the layer at fault.
        NetworkAnalyzer.Analyze(spec, options);
        var builder = new OnnxGraphBuilder(seed);
        var writer = new Writer(builder, options.ResNetVariant);
        var input = builder.Input(InputName, [1, spec.Input[0], spec.Input[1], spec.Input[2]], batchSymbol);
        var output = writer.Sequence(spec.Layers, input, namePrefix: "");
        builder.Output(output);
        var model = builder.Build();
        model.Graph.Name = spec.Name ?? "network";
        model.DocString = spec.Description ?? string.Empty;
        return model;
    }

    private sealed class Writer(OnnxGraphBuilder builder, ResNetVariant variant)
    {
        public string Sequence(IReadOnlyList<LayerSpec> layers, string x, string namePrefix)
        {
            var counters = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var layer in layers)
            {
                var type = NetworkWalker.TypeName(layer);
                counters[type] = counters.GetValueOrDefault(type) + 1;
                var name = string.IsNullOrWhiteSpace(layer.Name) ? $"{namePrefix}{type}{counters[type]}" : layer.Name!;
                x = Layer(layer, x, name);
            }

            return x;
        }

        private string Layer(LayerSpec layer, string x, string name) => layer switch
        {
            ConvLayerSpec conv => Conv(conv, x, name),
            PoolLayerSpec pool => Pool(pool, x, name),
            GlobalPoolLayerSpec global => Global(global, x, name),
            ReluLayerSpec => builder.Node("Relu", name, [x], builder.ShapeOf(x)),
            ActivationLayerSpec activation => Activation(activation.Function, x, name),
            LrnLayerSpec lrn => builder.Node("LRN", name, [x], builder.ShapeOf(x),
                OnnxGraphBuilder.Int("size", lrn.Size), OnnxGraphBuilder.Float("alpha", 1e-4f), OnnxGraphBuilder.Float("beta", 0.75f), OnnxGraphBuilder.Float("bias", 2f)),
            BatchNormLayerSpec => builder.BatchNorm(x, name),
            DropoutLayerSpec => builder.Node("Dropout", name, [x], builder.ShapeOf(x)),
            FlattenLayerSpec => Flatten(x, name),
            FcLayerSpec fc => builder.Gemm(builder.ShapeOf(x).Length > 2 ? Flatten(x, $"{name}/flatten") : x, fc.Units, name),
            SoftmaxLayerSpec => builder.Node("Softmax", name, [builder.ShapeOf(x).Length > 2 ? Flatten(x, $"{name}/flatten") : x],
                [builder.ShapeOf(x)[0], builder.ShapeOf(x).Skip(1).Aggregate(1, (p, d) => p * d)], OnnxGraphBuilder.Int("axis", 1)),
            InceptionLayerSpec inception => Block(BlockExpansion.Inception(inception, name), x, name, namedChildren: true),
            ResidualLayerSpec residual => Block(BlockExpansion.Residual(residual, name, builder.ShapeOf(x)[1], variant), x, name, namedChildren: true),
            BranchesLayerSpec branches => Block(new ExpandedBlock(branches.Branches, branches.Merge, []), x, name, namedChildren: false),
            LocalLayerSpec => throw ConvServiceException.DoesNotFit(
                "No runnable form",
                $"Layer '{name}' is locally connected: ONNX has no operator for unshared weights, so this network can be reported on but not run. Use conv instead."),
            _ => throw ConvServiceException.DoesNotFit("No runnable form", $"Layer '{name}' ({layer.GetType().Name}) cannot be run."),
        };

        private string Conv(ConvLayerSpec conv, string x, string name)
        {
            var shape = builder.ShapeOf(x);
            var (top, bottom) = Pads(shape[2], conv.Size.Height, conv.Dilation.Height, conv.Stride.Height, conv.Padding, vertical: true);
            var (left, right) = Pads(shape[3], conv.Size.Width, conv.Dilation.Width, conv.Stride.Width, conv.Padding, vertical: false);
            return builder.Conv(
                x,
                conv.Filters,
                [conv.Size.Height, conv.Size.Width],
                [conv.Stride.Height, conv.Stride.Width],
                [top, left, bottom, right],
                [conv.Dilation.Height, conv.Dilation.Width],
                conv.Groups,
                conv.Bias,
                autoPad: null,
                name);
        }

        private string Pool(PoolLayerSpec pool, string x, string name)
        {
            var shape = builder.ShapeOf(x);
            var stride = pool.Stride ?? pool.Size;
            var (top, bottom) = Pads(shape[2], pool.Size.Height, 1, stride.Height, pool.Padding, vertical: true);
            var (left, right) = Pads(shape[3], pool.Size.Width, 1, stride.Width, pool.Padding, vertical: false);
            var ceil = pool.CeilMode;
            int[] output =
            [
                shape[0], shape[1],
                PoolGeometry.OutputSize(shape[2], pool.Size.Height, stride.Height, top, bottom, 1, ceil),
                PoolGeometry.OutputSize(shape[3], pool.Size.Width, stride.Width, left, right, 1, ceil),
            ];
            List<AttributeProto> attributes =
            [
                OnnxGraphBuilder.Ints("kernel_shape", pool.Size.Height, pool.Size.Width),
                OnnxGraphBuilder.Ints("strides", stride.Height, stride.Width),
                OnnxGraphBuilder.Ints("pads", top, left, bottom, right),
                OnnxGraphBuilder.Int("ceil_mode", ceil ? 1 : 0),
            ];
            if (pool.Mode == PoolMode.Avg)
            {
                attributes.Add(OnnxGraphBuilder.Int("count_include_pad", 0));
            }

            return builder.Node(pool.Mode == PoolMode.Avg ? "AveragePool" : "MaxPool", name, [x], output, [.. attributes]);
        }

        private string Global(GlobalPoolLayerSpec global, string x, string name)
        {
            var shape = builder.ShapeOf(x);
            return builder.Node(global.Mode == PoolMode.Max ? "GlobalMaxPool" : "GlobalAveragePool", name, [x], [shape[0], shape[1], 1, 1]);
        }

        private string Activation(ActivationFunction function, string x, string name) => function switch
        {
            ActivationFunction.Relu => builder.Node("Relu", name, [x], builder.ShapeOf(x)),
            ActivationFunction.LeakyRelu => builder.Node("LeakyRelu", name, [x], builder.ShapeOf(x), OnnxGraphBuilder.Float("alpha", 0.01f)),
            ActivationFunction.Sigmoid => builder.Node("Sigmoid", name, [x], builder.ShapeOf(x)),
            ActivationFunction.Tanh => builder.Node("Tanh", name, [x], builder.ShapeOf(x)),
            _ => throw ConvServiceException.DoesNotFit(
                "No runnable form",
                $"Layer '{name}' uses {function.ToString().ToLowerInvariant()}, which the engine does not run. Use relu, leakyrelu, sigmoid or tanh."),
        };

        private string Flatten(string x, string name)
        {
            var shape = builder.ShapeOf(x);
            return builder.Node("Flatten", name, [x], [shape[0], shape.Skip(1).Aggregate(1, (p, d) => p * d)], OnnxGraphBuilder.Int("axis", 1));
        }

        private string Block(ExpandedBlock block, string x, string name, bool namedChildren)
        {
            var outputs = new List<string>();
            for (var b = 0; b < block.Branches.Count; b++)
            {
                var prefix = namedChildren ? $"{name}/" : $"{name}/b{b}/";
                outputs.Add(Sequence(block.Branches[b] ?? [], x, prefix));
            }

            var merged = block.Merge == MergeMode.Add
                ? outputs.Skip(1).Aggregate(outputs[0], (sum, next) => builder.Add(sum, next, outputs.Count == 2 ? name : null))
                : builder.Node("Concat", name, [.. outputs], ConcatShape(outputs), OnnxGraphBuilder.Int("axis", 1));
            return Sequence(block.After, merged, $"{name}/");
        }

        private int[] ConcatShape(List<string> outputs)
        {
            var shape = (int[])builder.ShapeOf(outputs[0]).Clone();
            shape[1] = outputs.Sum(o => builder.ShapeOf(o)[1]);
            return shape;
        }

        /// <summary>The padding the report's arithmetic applied: explicit, none, or TensorFlow's "same" split.</summary>
        private (int Before, int After) Pads(int n, int size, int dilation, int stride, PaddingSpec padding, bool vertical)
        {
            switch (padding.Mode)
            {
                case PaddingMode.Same:
                    var window = dilation * (size - 1) + 1;
                    var output = (n + stride - 1) / stride;
                    var total = Math.Max(0, (output - 1) * stride + window - n);
                    return (total / 2, total - total / 2);
                case PaddingMode.Valid:
                    return (0, 0);
                default:
                    // Floor fit needs nothing here: ONNX Conv and Pool round down by definition.
                    return vertical ? (padding.Top, padding.Bottom) : (padding.Left, padding.Right);
            }
        }
    }
}
