namespace ConvService.Inference.Serving.Descriptors;

/// <summary>The tasks a served model can have.</summary>
public static class ModelTasks
{
    public const string Classify = "classify";

    public const string Embed = "embed";

    public static IReadOnlyList<string> All { get; } = [Classify, Embed];
}
