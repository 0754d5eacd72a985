using ConvService.Inference.Engine;

namespace ConvService.Inference.Serving.Execution;

/// <summary>
/// One worker's sessions, one per batch size and input shape, so a batch of n runs as one batch through a session
/// of size n. Only the most recently used few are kept: activation buffers dominate memory, and a dropped session's
/// buffers go back to the engine's pool, so making it again later is cheap.
/// </summary>
internal sealed class SessionCache(CompiledModel model, int capacity) : IDisposable
{
    private readonly Dictionary<string, ModelSession> sessions = [];
    private readonly List<string> recency = [];

    /// <summary>A session for <paramref name="batch"/> images whose inputs have <paramref name="imageShapes"/> (without the batch).</summary>
    public ModelSession For(int batch, int[][] imageShapes)
    {
        var key = $"{batch}:{string.Join("|", imageShapes.Select(s => string.Join("x", s)))}";
        if (sessions.TryGetValue(key, out var session))
        {
            recency.Remove(key);
            recency.Add(key);
            return session;
        }

        session = model.CreateSession(imageShapes.Select(s => (IReadOnlyList<int>)[batch, .. s]).ToArray());
        sessions[key] = session;
        recency.Add(key);
        if (recency.Count > Math.Max(1, capacity))
        {
            var oldest = recency[0];
            recency.RemoveAt(0);
            sessions.Remove(oldest, out var dropped);
            dropped?.Dispose();
        }

        return session;
    }

    public void Dispose()
    {
        foreach (var session in sessions.Values)
        {
            session.Dispose();
        }

        sessions.Clear();
        recency.Clear();
    }
}
