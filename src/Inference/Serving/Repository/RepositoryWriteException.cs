namespace ConvService.Inference.Serving.Repository;

/// <summary>The repository folder could not be written (read-only volume, permissions, disk full); nothing was replaced.</summary>
public sealed class RepositoryWriteException(string folder, Exception cause)
    : Exception(Describe(folder, cause), cause)
{
    /// <summary>The volume ran out of space (ENOSPC on Linux, ERROR_DISK_FULL or ERROR_HANDLE_DISK_FULL on Windows).</summary>
    public bool DiskFull { get; } = IsDiskFull(cause);

    private static bool IsDiskFull(Exception cause) =>
        cause is IOException && (cause.HResult == 28 || (cause.HResult & 0xFFFF) is 112 or 39);

    private static string Describe(string folder, Exception cause) => IsDiskFull(cause)
        ? $"The model repository at {folder} is full ({cause.Message}). Nothing was changed and the current model keeps serving; free space on the volume or make it larger, then upload again."
        : $"The model repository at {folder} cannot be written ({cause.Message}). Nothing was changed; mount it writable or change the models on the volume itself.";
}
