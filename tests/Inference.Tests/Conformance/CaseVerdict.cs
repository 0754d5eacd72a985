namespace ConvService.Inference.Tests.Conformance;

/// <summary>How the engine did on one conformance case.</summary>
internal enum CaseVerdict
{
    /// <summary>Ran and matched the expected output.</summary>
    Passed,

    /// <summary>Refused with a <see cref="Errors.ConvServiceException"/>, as unsupported things must be.</summary>
    Refused,

    /// <summary>Ran and gave another answer, or failed with anything but a refusal.</summary>
    Wrong,
}
