namespace ConvService.Inference.Serving.Repository;

/// <summary>Something the repository did that an operator should see in the log.</summary>
public sealed record RepositoryEvent(RepositoryEventKind Kind, string Model, string Message);
