namespace ConvService.Inference.Errors;

/// <summary>What kind of caller mistake an engine error is, in the library's words; a host maps each kind to its own answer (the API: one HTTP status per kind).</summary>
public enum ErrorKind
{
    /// <summary>The input is malformed: a value of the wrong type or range, a missing field, a broken file.</summary>
    InvalidInput,

    /// <summary>The input is well formed but does not fit what it is applied to: a filter larger than the image, a stride that leaves a partial window, an image the model cannot take.</summary>
    DoesNotFit,

    /// <summary>The input is larger than a configured limit.</summary>
    OverLimit,

    /// <summary>The input's format or a feature it uses is not supported.</summary>
    Unsupported,

    /// <summary>A named thing does not exist.</summary>
    NotFound,
}
