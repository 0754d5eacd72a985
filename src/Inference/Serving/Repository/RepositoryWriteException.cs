namespace ConvService.Inference.Serving.Repository;

/// <summary>The repository folder could not be written (read-only volume, permissions, disk full); nothing was replaced.</summary>
public sealed class RepositoryWriteException(string folder, Exception cause)
    : Exception($"The model repository at {folder} cannot be written ({cause.Message}). Nothing was changed; mount it writable or change the models on the volume itself.", cause);
