using ConvService.Inference.Serving.Descriptors;

namespace ConvService.Inference.Serving.Repository;

/// <summary>
/// One model name in the repository: served (Ready) or refused with the reasons. A folder that fails to load is
/// kept as an entry so clients and operators see why, while every other model keeps serving.
/// </summary>
public sealed record ModelEntry(string Name, ModelSource Source, ServedModel? Served, ModelDescriptor? Descriptor, IReadOnlyList<string> Problems, string Fingerprint, DateTimeOffset LoadedAt)
{
    public bool Ready => Served is not null;
}
