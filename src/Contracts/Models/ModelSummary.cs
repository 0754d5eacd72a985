namespace ConvService.Contracts.Models;

/// <summary>One model in the repository listing.</summary>
/// <param name="Name">The name used in URLs.</param>
/// <param name="DisplayName">A readable name.</param>
/// <param name="Task">classify or embed.</param>
/// <param name="Version">The descriptor's version.</param>
/// <param name="Ready">Whether it answers requests; when false, Problems says why.</param>
/// <param name="Source">folder (repository) or memory (registered by the service).</param>
/// <param name="Input">Its image input, or null when it failed to load.</param>
/// <param name="Parameters">Total weights.</param>
/// <param name="Problems">Why it is not ready; empty when ready.</param>
public sealed record ModelSummary(string Name, string? DisplayName, string? Task, string? Version, bool Ready, string Source, TensorDescription? Input, long Parameters, string[] Problems);
