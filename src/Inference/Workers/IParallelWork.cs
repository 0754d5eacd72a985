namespace ConvService.Inference.Workers;

/// <summary>One kernel call's work, split into numbered shares that may run on different threads at once.</summary>
internal interface IParallelWork
{
    void Run(int worker);
}
