namespace ConvService.Inference.Serving.Repository;

/// <summary>
/// One request's hold on a model version: while any hold is open, a replaced or deleted version keeps its executor,
/// so a request that was accepted finishes on the version it started with. Dispose it when the answer is ready.
/// </summary>
public sealed class ModelHold : IDisposable
{
    private ServedModel? model;

    internal ModelHold(ServedModel model) => this.model = model;

    public ServedModel Model => model ?? throw new ObjectDisposedException(nameof(ModelHold));

    public void Dispose() => Interlocked.Exchange(ref model, null)?.Release();
}
