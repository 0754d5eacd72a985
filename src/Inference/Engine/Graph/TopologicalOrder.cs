namespace ConvService.Inference.Engine.Graph;

/// <summary>Kahn's algorithm over value names; whatever cannot be ordered sits on a cycle (or reads a value nothing produces).</summary>
internal static class TopologicalOrder
{
    /// <summary>Returns the nodes in execution order, and the nodes left over when the graph has a cycle.</summary>
    public static (List<GraphNode> Ordered, List<GraphNode> Unordered) Sort(IReadOnlyList<GraphNode> nodes, ISet<string> available)
    {
        var producers = new Dictionary<string, GraphNode>();
        foreach (var node in nodes)
        {
            foreach (var output in node.Outputs)
            {
                if (output.Length > 0)
                {
                    producers[output] = node;
                }
            }
        }

        var pending = new Dictionary<GraphNode, int>();
        var consumers = new Dictionary<GraphNode, List<GraphNode>>();
        foreach (var node in nodes)
        {
            var waits = 0;
            foreach (var input in node.Inputs.Where(i => i.Length > 0).Distinct())
            {
                if (!available.Contains(input) && producers.TryGetValue(input, out var producer))
                {
                    waits++;
                    if (!consumers.TryGetValue(producer, out var list))
                    {
                        consumers[producer] = list = [];
                    }

                    list.Add(node);
                }
            }

            pending[node] = waits;
        }

        // Keep the file's order among ready nodes so plans and layer lists are stable.
        var order = nodes.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        var ready = new PriorityQueue<GraphNode, int>();
        foreach (var node in nodes.Where(n => pending[n] == 0))
        {
            ready.Enqueue(node, order[node]);
        }

        var ordered = new List<GraphNode>(nodes.Count);
        while (ready.TryDequeue(out var node, out _))
        {
            ordered.Add(node);
            foreach (var consumer in consumers.GetValueOrDefault(node) ?? [])
            {
                if (--pending[consumer] == 0)
                {
                    ready.Enqueue(consumer, order[consumer]);
                }
            }
        }

        var placed = ordered.ToHashSet();
        return (ordered, nodes.Where(n => !placed.Contains(n)).ToList());
    }
}
