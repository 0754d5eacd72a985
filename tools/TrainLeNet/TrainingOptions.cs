namespace ConvService.Tools.TrainLeNet;

/// <summary>Everything that decides the trained weights; the defaults produce the committed model.</summary>
public sealed record TrainingOptions
{
    public int Seed { get; init; } = 5;

    public int HeldOutCount { get; init; } = 2000;

    public int Epochs { get; init; } = 20;

    public int BatchSize { get; init; } = 32;

    public float LearningRate { get; init; } = 0.05f;

    public float Momentum { get; init; } = 0.9f;

    public float WeightDecay { get; init; } = 5e-4f;

    public int MaxShift { get; init; } = 2;
}
