namespace ConvService.Inference.Serving.Repository;

public enum RepositoryEventKind
{
    Loaded,
    Failed,
    Removed,
    Skipped,
}
