using ConvService.Inference.Engine.Planning;
using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Errors;
using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Workers;

namespace ConvService.Inference.Engine;

/// <summary>
/// Runs a compiled model at one concrete shape of its inputs. Owns its buffers (rented once, returned on Dispose), so a run
/// allocates nothing. Not thread-safe: one session per concurrent caller.
/// </summary>
public sealed class ModelSession : IDisposable
{
    private readonly ExecutionPlan plan;
    private readonly float[][] buffers;
    private readonly float[] scratch;
    private readonly ExecutionFrame frame;
    private bool disposed;

    internal ModelSession(ExecutionPlan plan, int degreeOfParallelism)
    {
        this.plan = plan;
        buffers = plan.BufferSizes.Select(BufferPool.Rent).ToArray();
        scratch = BufferPool.Rent(plan.ScratchFloats);
        frame = new ExecutionFrame(buffers, plan.SlotBuffer, plan.SlotLength, scratch, degreeOfParallelism);
        Inputs = plan.Inputs.Select(i => new TensorInfo(i.Name, i.Shape, null)).ToArray();
        Outputs = plan.Outputs.Select(o => new TensorInfo(o.Name, o.Shape, null)).ToArray();
        Layers = plan.Layers.Select(l => l.Info).ToArray();
    }

    public int Batch => plan.Batch;

    /// <summary>The most threads a run may use: the model's <see cref="EngineOptions.DegreeOfParallelism"/>.</summary>
    public int DegreeOfParallelism => frame.DegreeOfParallelism;

    /// <summary>
    /// Threads runs use, from 1 to <see cref="DegreeOfParallelism"/> (the default). It may be changed from another thread
    /// while a run goes on: the run's next layer follows it. Work is split the same way whatever it is, so the results
    /// are the same.
    /// </summary>
    public int Threads
    {
        get => frame.Threads.Threads;
        set => frame.Threads.Threads = Math.Clamp(value, 1, frame.DegreeOfParallelism);
    }

    public IReadOnlyList<TensorInfo> Inputs { get; }

    public IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>Layers with their output shapes at this session's batch.</summary>
    public IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>Runs the whole model on its single input and copies its first output out.</summary>
    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        Run(input);
        var result = Output(plan.Outputs[0].Name);
        if (output.Length < result.Length)
        {
            throw ConvServiceException.InvalidInput("Output buffer too small", $"The output needs {result.Length} floats but the buffer holds {output.Length}. Pass a buffer of at least {result.Length} floats.");
        }

        result.CopyTo(output);
    }

    /// <summary>Runs the whole model on its single input; read results with <see cref="Output"/>.</summary>
    public void Run(ReadOnlySpan<float> input)
    {
        LoadInput(input);
        Execute(plan.Steps.Length - 1);
    }

    /// <summary>Runs the whole model on the values already written through <see cref="Input(string)"/>; for models with several inputs.</summary>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        Execute(plan.Steps.Length - 1);
    }

    /// <summary>Where to write input <paramref name="name"/> before <see cref="Run()"/>, exactly its shape's element count long.</summary>
    public Span<float> Input(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        foreach (var input in plan.Inputs)
        {
            if (input.Name == name)
            {
                return frame.Slot(input.Slot);
            }
        }

        throw new ConvServiceException(ErrorKind.NotFound, "Unknown input", $"The model has no input named '{name}'. Its inputs are: {string.Join(", ", plan.Inputs.Select(i => i.Name))}.");
    }

    /// <summary>
    /// Runs the model only up to the named layer and returns its activation (valid until the next run). A node
    /// fused into a convolution (BatchNormalization, Relu) names the fused layer, whose output already includes it.
    /// </summary>
    public ReadOnlySpan<float> RunUntil(string layerName, ReadOnlySpan<float> input)
    {
        var layer = plan.FindLayer(layerName) ?? throw new ConvServiceException(
            ErrorKind.NotFound,
            "Unknown layer",
            $"The model has no layer named '{layerName}'. Use one of the names listed in the model's layers.");
        LoadInput(input);
        Execute(layer.StepIndex);
        return frame.Slot(layer.Slot);
    }

    /// <summary>As <see cref="RunUntil(string, ReadOnlySpan{float})"/> on the values already written through <see cref="Input(string)"/>.</summary>
    public ReadOnlySpan<float> RunUntil(string layerName)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var layer = plan.FindLayer(layerName) ?? throw new ConvServiceException(
            ErrorKind.NotFound,
            "Unknown layer",
            $"The model has no layer named '{layerName}'. Use one of the names listed in the model's layers.");
        Execute(layer.StepIndex);
        return frame.Slot(layer.Slot);
    }

    /// <summary>A graph output of the last <see cref="Run(ReadOnlySpan{float})"/>, valid until the next run.</summary>
    public ReadOnlySpan<float> Output(string name)
    {
        foreach (var output in plan.Outputs)
        {
            if (output.Name == name)
            {
                return frame.Slot(output.Slot);
            }
        }

        throw new ConvServiceException(ErrorKind.NotFound, "Unknown output", $"The model has no output named '{name}'. Its outputs are: {string.Join(", ", plan.Outputs.Select(o => o.Name))}.");
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var buffer in buffers)
        {
            BufferPool.Return(buffer);
        }

        BufferPool.Return(scratch);
    }

    private void LoadInput(ReadOnlySpan<float> input)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (plan.Inputs.Length != 1)
        {
            throw ConvServiceException.InvalidInput("Several inputs", $"The model has {plan.Inputs.Length} inputs; this call feeds exactly one. Write each through Input(name), then call Run().");
        }

        var slot = frame.Slot(plan.Inputs[0].Slot);
        if (input.Length != slot.Length)
        {
            throw ConvServiceException.InvalidInput(
                "Wrong input size",
                $"The input has {input.Length} floats but the model expects {slot.Length} ({TensorShape.Format(plan.Inputs[0].Shape)}). Send a tensor of exactly that shape.");
        }

        input.CopyTo(slot);
    }

    /// <summary>
    /// Runs the model once with each step timed, for profiling: (step description, seconds) in execution order.
    /// </summary>
    internal IReadOnlyList<(string Step, double Seconds)> Profile(ReadOnlySpan<float> input)
    {
        LoadInput(input);
        var timings = new List<(string, double)>(plan.Steps.Length);
        var previous = KernelWorkers.UseCap(frame.Threads);
        try
        {
            foreach (var step in plan.Steps)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                step.Execute(frame);
                timings.Add((step.ToString() ?? step.GetType().Name, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds));
            }
        }
        finally
        {
            KernelWorkers.UseCap(previous);
        }

        return timings;
    }

    private void Execute(int lastStep)
    {
        var steps = plan.Steps;
        var previous = KernelWorkers.UseCap(frame.Threads);
        try
        {
            for (var i = 0; i <= lastStep; i++)
            {
                steps[i].Execute(frame);
            }
        }
        finally
        {
            KernelWorkers.UseCap(previous);
        }
    }
}
