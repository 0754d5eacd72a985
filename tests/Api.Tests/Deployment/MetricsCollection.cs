namespace ConvService.Api.Tests.Deployment;

/// <summary>
/// The service's meters are process-wide, so the tests that count them run alone, after the parallel tests,
/// and see no other host's traffic.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}
