namespace ConvService.Api.Tests.Support;

/// <summary>
/// Tests that measure the whole process (allocated bytes, memory) run in this collection, which xUnit runs after
/// the parallel ones and alone, so other tests' work does not show in their figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "Measured alone";
}
