namespace ConvService.Inference.Errors;

/// <summary>
/// A refusal caused by the caller's input. The message is written for the caller: it says what was wrong
/// and how to fix it. <see cref="Title"/> is short and stable per kind of problem, so clients can match on it.
/// </summary>
public class ConvServiceException(ErrorKind kind, string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null)
    : Exception(detail)
{
    public ErrorKind Kind { get; } = kind;

    public string Title { get; } = title;

    /// <summary>Extra members for the problem details body (e.g. the list of known kernel names).</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();

    public static ConvServiceException InvalidInput(string title, string detail) => new(ErrorKind.InvalidInput, title, detail);

    public static ConvServiceException DoesNotFit(string title, string detail) => new(ErrorKind.DoesNotFit, title, detail);

    public static ConvServiceException OverLimit(string title, string detail) => new(ErrorKind.OverLimit, title, detail);
}
