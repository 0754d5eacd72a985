namespace ConvService.Inference.Serving.Execution;

/// <summary>How many threads each model run gets (ONNX Runtime's intra-op threads, chosen per run).</summary>
public enum IntraOpPolicy
{
    /// <summary>
    /// The runs going on at once share the threads: a run alone gets them all, n runs get a share each, rebalanced
    /// whenever a run starts or ends, so requests run side by side under load without oversubscribing the cores.
    /// </summary>
    Adaptive,

    /// <summary>Every run gets all the threads, however many run at once (each run as fast as it can, alone).</summary>
    Fixed,
}
