namespace ConvService.Inference.Serving.Execution;

/// <summary>
/// Where a request's time in the executor went: waiting in the queue (and for a batch to fill) until a worker took
/// it up, then the run itself (its input copied in, the model run with its share of the threads, its output copied out).
/// </summary>
public readonly record struct RunTiming(TimeSpan Queued, TimeSpan Run);
