using ConvService.Inference.Engine;

namespace ConvService.Inference.Serving.Execution;

/// <summary>
/// One worker's sessions, one per batch size, so a batch of n runs as one batch through a session of size n.
/// Only the most recently used few are kept: activation buffers dominate memory, and a dropped session's buffers
/// go back to the engine's pool, so making it again later is cheap.
/// </summary>
internal sealed class SessionCache(CompiledModel model, int capacity) : IDisposable
{
    private readonly Dictionary<int, ModelSession> sessions = [];
    private readonly List<int> recency = [];

    public ModelSession For(int batch)
    {
        if (sessions.TryGetValue(batch, out var session))
        {
            recency.Remove(batch);
            recency.Add(batch);
            return session;
        }

        session = model.CreateSession(batch);
        sessions[batch] = session;
        recency.Add(batch);
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
