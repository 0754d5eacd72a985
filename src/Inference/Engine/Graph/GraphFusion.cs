using ConvService.Inference.Engine.Planning;
using ConvService.Inference.Engine.Planning.Operators;

namespace ConvService.Inference.Engine.Graph;

/// <summary>
/// Load-time rewrites: BatchNormalization folded into the convolution before it (new weights and bias), a residual
/// Add folded into the convolution that produces one of its operands (the other becomes the convolution's fourth
/// input, added as outputs are stored), then an activation fused into the node that produces its input. Each only
/// when the convolution's output has no other reader, so no value the graph exposes disappears. Fusion runs before
/// planning checks each node's inputs, so a node without its first input is left for planning to refuse by name.
/// </summary>
internal static class GraphFusion
{
    public static void Apply(ModelGraph graph)
    {
        FoldBatchNormalization(graph);
        FuseResidualAdds(graph);
        FuseActivations(graph);
    }

    private static void FoldBatchNormalization(ModelGraph graph)
    {
        var consumers = graph.CountConsumers();
        var producers = Producers(graph);
        foreach (var bn in graph.Nodes.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            if (!bn.HasInput(0) || bn.Outputs.Length == 0 || (bn.Outputs.Length > 1 && bn.Outputs.Skip(1).Any(o => o.Length > 0 && consumers.ContainsKey(o))) || bn.Attributes.Int("training_mode", 0) != 0)
            {
                continue;
            }

            if (!producers.TryGetValue(bn.Inputs[0], out var conv) || conv.OpType != "Conv" || !conv.HasInput(0) || conv.Fused.Count > 0
                || consumers.GetValueOrDefault(bn.Inputs[0]) != 1 || !Enumerable.Range(1, 4).All(i => bn.HasInput(i) && graph.Constants.ContainsKey(bn.Inputs[i]))
                || !graph.Constants.TryGetValue(conv.Inputs.ElementAtOrDefault(1) ?? string.Empty, out var weights) || weights.Dims.Length != 4)
            {
                continue;
            }

            var outChannels = weights.Dims[0];
            float[] scale, shift;
            try
            {
                (scale, shift) = BatchNormFolding.ScaleAndShift(bn, i => graph.Constants[bn.Inputs[i]], outChannels);
            }
            catch (PlanningException)
            {
                continue; // Left standalone; planning reports the mismatch with the node's name.
            }

            var w = weights.AsFloats();
            var perChannel = w.Length / outChannels;
            var folded = new float[w.Length];
            for (var i = 0; i < w.Length; i++)
            {
                folded[i] = w[i] * scale[i / perChannel];
            }

            var bias = conv.HasInput(2) && graph.Constants.TryGetValue(conv.Inputs[2], out var b) ? b.AsFloats() : new float[outChannels];
            if (bias.Length != outChannels)
            {
                continue;
            }

            var foldedBias = new float[outChannels];
            for (var c = 0; c < outChannels; c++)
            {
                foldedBias[c] = bias[c] * scale[c] + shift[c];
            }

            var weightName = $"{conv.Name}::weights+{bn.Name}";
            var biasName = $"{conv.Name}::bias+{bn.Name}";
            graph.Constants[weightName] = ConstantTensor.OfFloats(weights.Dims, folded);
            graph.Constants[biasName] = ConstantTensor.OfFloats([outChannels], foldedBias);
            conv.Inputs = [conv.Inputs[0], weightName, biasName];
            conv.Outputs = [bn.Outputs[0]];
            conv.Fused.Add((bn.Name, bn.OpType));
            graph.Nodes.Remove(bn);
            producers[bn.Outputs[0]] = conv;
        }
    }

    private static void FuseResidualAdds(ModelGraph graph)
    {
        var consumers = graph.CountConsumers();
        var producers = Producers(graph);
        foreach (var add in graph.Nodes.Where(n => n.OpType == "Add" && n.Inputs.Length == 2 && n.Outputs.Length == 1).ToList())
        {
            if (add.Inputs.Any(i => i.Length == 0 || graph.Constants.ContainsKey(i)) || add.Inputs[0] == add.Inputs[1])
            {
                continue;
            }

            for (var side = 0; side < 2; side++)
            {
                if (!producers.TryGetValue(add.Inputs[side], out var conv) || conv.OpType != "Conv" || !conv.HasInput(0) || conv.Activation.Kind != Kernels.Conv.ActivationKind.None
                    || conv.Inputs.Length > 3 || conv.Outputs.Length != 1 || consumers.GetValueOrDefault(add.Inputs[side]) != 1)
                {
                    continue;
                }

                // The convolution moves to the Add's place in the order: its own inputs were ready before it, and
                // the other operand is ready there.
                conv.Inputs = [conv.Inputs[0], conv.Inputs.ElementAtOrDefault(1) ?? string.Empty, conv.Inputs.ElementAtOrDefault(2) ?? string.Empty, add.Inputs[1 - side]];
                conv.Outputs = [add.Outputs[0]];
                conv.Fused.Add((add.Name, add.OpType));
                graph.Nodes.Remove(conv);
                graph.Nodes[graph.Nodes.IndexOf(add)] = conv;
                producers[add.Outputs[0]] = conv;
                break;
            }
        }
    }

    private static void FuseActivations(ModelGraph graph)
    {
        var consumers = graph.CountConsumers();
        var producers = Producers(graph);
        foreach (var act in graph.Nodes.Where(n => ActivationPlanner.IsActivation(n.OpType)).ToList())
        {
            if (!act.HasInput(0) || act.Outputs.Length == 0 || !producers.TryGetValue(act.Inputs[0], out var conv) || conv.OpType is not ("Conv" or "Add" or "Sub" or "Mul" or "Div")
                || conv.Activation.Kind != Kernels.Conv.ActivationKind.None || consumers.GetValueOrDefault(act.Inputs[0]) != 1)
            {
                continue;
            }

            var bounds = new float?[3];
            var constantBounds = true;
            for (var i = 1; i < 3; i++)
            {
                if (act.HasInput(i))
                {
                    if (graph.Constants.TryGetValue(act.Inputs[i], out var bound) && bound.Length == 1)
                    {
                        bounds[i] = bound.AsFloats()[0];
                    }
                    else
                    {
                        constantBounds = false;
                    }
                }
            }

            if (!constantBounds)
            {
                continue;
            }

            conv.Activation = ActivationPlanner.Read(act, i => bounds[i]);
            conv.Outputs = [act.Outputs[0]];
            conv.Fused.Add((act.Name, act.OpType));
            graph.Nodes.Remove(act);
            producers[act.Outputs[0]] = conv;
        }
    }

    private static Dictionary<string, GraphNode> Producers(ModelGraph graph)
    {
        var producers = new Dictionary<string, GraphNode>();
        foreach (var node in graph.Nodes)
        {
            foreach (var output in node.Outputs.Where(o => o.Length > 0))
            {
                producers[output] = node;
            }
        }

        return producers;
    }
}
