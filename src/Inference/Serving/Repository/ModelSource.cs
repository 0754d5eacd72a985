namespace ConvService.Inference.Serving.Repository;

/// <summary>Where a model came from: a repository folder (watched, replaced by uploads) or registered in code.</summary>
public enum ModelSource
{
    Folder,
    Memory,
}
