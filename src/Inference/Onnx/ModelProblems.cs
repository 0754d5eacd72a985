using ConvService.Inference.Errors;

namespace ConvService.Inference.Onnx;

/// <summary>Collects everything wrong with a model so the caller learns all of it in one refusal, not one fix at a time.</summary>
internal sealed class ModelProblems
{
    public const string Title = "The ONNX model cannot be used";

    private readonly List<string> problems = [];

    public bool Any => problems.Count > 0;

    public void Add(string problem) => problems.Add(problem);

    public void ThrowIfAny()
    {
        if (problems.Count > 0)
        {
            throw Create(problems);
        }
    }

    public static ConvServiceException Single(string problem) => Create([problem]);

    private static ConvServiceException Create(List<string> problems)
    {
        var detail = problems.Count == 1
            ? problems[0]
            : $"{problems.Count} problems: " + string.Join(" ", problems.Select((p, i) => $"({i + 1}) {p}"));
        return new ConvServiceException(
            ErrorKind.DoesNotFit,
            Title,
            detail,
            new Dictionary<string, object?> { ["problems"] = problems.ToArray() });
    }
}
