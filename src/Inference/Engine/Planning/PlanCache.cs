namespace ConvService.Inference.Engine.Planning;

/// <summary>
/// The execution plans of one model, one per concrete input shape, at most <c>capacity</c> of them: the least
/// recently used goes first. Sessions keep their own plan alive, so dropping one here never breaks a session.
/// </summary>
internal sealed class PlanCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, ExecutionPlan Plan)>> byKey = [];
    private readonly LinkedList<(string Key, ExecutionPlan Plan)> recency = [];
    private readonly Lock gate = new();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return byKey.Count;
            }
        }
    }

    public static string Key(int[][] shapes) => string.Join("|", shapes.Select(s => string.Join("x", s)));

    /// <summary>The cached plan for these shapes, or one built now (under the lock, so concurrent callers build it once).</summary>
    public ExecutionPlan GetOrBuild(int[][] shapes, Func<int[][], ExecutionPlan> build)
    {
        var key = Key(shapes);
        lock (gate)
        {
            if (byKey.TryGetValue(key, out var node))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                return node.Value.Plan;
            }

            var plan = build(shapes);
            byKey[key] = recency.AddFirst((key, plan));
            while (byKey.Count > Math.Max(1, capacity))
            {
                var oldest = recency.Last!;
                recency.RemoveLast();
                byKey.Remove(oldest.Value.Key);
            }

            return plan;
        }
    }
}
