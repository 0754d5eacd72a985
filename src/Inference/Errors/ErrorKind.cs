namespace ConvService.Inference.Errors;

/// <summary>What kind of caller mistake an engine error is; the HTTP layer maps each kind to one status code.</summary>
public enum ErrorKind
{
    /// <summary>The request is malformed (400).</summary>
    BadRequest,

    /// <summary>The request is well formed but cannot be carried out, e.g. a filter that does not fit (422).</summary>
    Unprocessable,

    /// <summary>The input is larger than a configured limit (413).</summary>
    TooLarge,

    /// <summary>The input's media type is not supported (415).</summary>
    UnsupportedMedia,

    /// <summary>A named thing does not exist (404).</summary>
    NotFound,
}
