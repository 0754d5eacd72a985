using System.Globalization;
using System.Text.Json;
using ConvService.Inference.Errors;
using ConvService.Inference.Filters;

namespace ConvService.Api.Filters;

/// <summary>
/// Turns the loosely typed request fields (form values or JSON) into the engine's kernel and settings, with an
/// error that names the field and its allowed values.
/// </summary>
public static class FilterParameters
{
    public static FilterKernel Kernel(string? name, string? matrixJson, double[][]? matrix, int? size, double? sigma, int maxKernelSize)
    {
        var hasName = !string.IsNullOrWhiteSpace(name);
        var hasMatrix = matrix is not null || !string.IsNullOrWhiteSpace(matrixJson);
        if (hasName == hasMatrix)
        {
            throw ConvServiceException.InvalidInput(
                "Kernel missing or ambiguous",
                hasName
                    ? "Give either 'kernel' (a name) or 'matrix' (a 2-D array), not both."
                    : "Give 'kernel' (a name from GET /api/kernels, e.g. \"box\") or 'matrix' (a 2-D array, e.g. [[0,1,0],[1,-4,1],[0,1,0]]).");
        }

        if (hasName)
        {
            return KernelCatalog.Create(name!.Trim().ToLowerInvariant(), size, sigma, maxKernelSize);
        }

        return new FilterKernel.Linear(KernelMatrix.Parse(matrix ?? ParseMatrix(matrixJson!), maxKernelSize));
    }

    /// <summary>The settings from their fields, checked (<see cref="FilterSettings.Check"/>) before any image is read.</summary>
    public static FilterSettings Settings(string? op, string? border, Padding padding, int? stride, string? fit) =>
        new FilterSettings(
            Op: ParseOp(op),
            Border: ParseBorder(border),
            Padding: padding.Mode,
            Pad: padding.Pad,
            Stride: stride ?? 1,
            FitFloor: ParseFit(fit)).Check();

    /// <summary>Padding from a form field: "same", "valid" or a whole number of pixels.</summary>
    public static Padding ParsePadding(string? padding)
    {
        switch (padding?.Trim().ToLowerInvariant())
        {
            case null or "" or "same":
                return new Padding(PaddingMode.Same, 0);
            case "valid":
                return new Padding(PaddingMode.Valid, 0);
            default:
                if (!int.TryParse(padding, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pad) || pad < 0)
                {
                    throw InvalidPadding($"got \"{padding}\"");
                }

                return new Padding(PaddingMode.Explicit, pad);
        }
    }

    /// <summary>Padding from JSON, where it is a string ("same", "valid") or a number, read as its type.</summary>
    public static Padding ParsePadding(JsonElement? padding) => padding switch
    {
        null or { ValueKind: JsonValueKind.Null } => new Padding(PaddingMode.Same, 0),
        { ValueKind: JsonValueKind.String } text => ParsePadding(text.GetString()),
        { ValueKind: JsonValueKind.Number } number when number.TryGetInt32(out var pad) && pad >= 0 => new Padding(PaddingMode.Explicit, pad),
        { } other => throw InvalidPadding($"got {other.GetRawText()}"),
    };

    public static int? OptionalInt(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw ConvServiceException.InvalidInput($"Invalid {field}", $"'{field}' must be a whole number, got \"{text}\".");

    public static double? OptionalDouble(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value
        : throw ConvServiceException.InvalidInput($"Invalid {field}", $"'{field}' must be a finite number, got \"{text}\".");

    public static bool Flag(string? text, string field) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "false" or "0" or "no" or "off" => false,
        "true" or "1" or "yes" or "on" => true,
        _ => throw ConvServiceException.InvalidInput($"Invalid {field}", $"'{field}' must be true or false, got \"{text}\"."),
    };

    private static double[][] ParseMatrix(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<double[][]>(json)
                ?? throw ConvServiceException.InvalidInput("Invalid matrix", "'matrix' must be a JSON 2-D array of numbers, e.g. [[1,0,-1],[2,0,-2],[1,0,-1]].");
        }
        catch (JsonException e)
        {
            throw ConvServiceException.InvalidInput(
                "Invalid matrix",
                $"'matrix' must be a JSON 2-D array of numbers, e.g. [[1,0,-1],[2,0,-2],[1,0,-1]] ({e.Message}). NaN and infinity are not allowed.");
        }
    }

    private static FilterOp ParseOp(string? op) => op?.Trim().ToLowerInvariant() switch
    {
        null or "" or "correlate" or "correlation" or "cross-correlate" => FilterOp.Correlate,
        "convolve" or "convolution" => FilterOp.Convolve,
        _ => throw ConvServiceException.InvalidInput("Invalid op", $"'op' must be correlate or convolve, got \"{op}\"."),
    };

    private static BorderMode ParseBorder(string? border) => border?.Trim().ToLowerInvariant() switch
    {
        null or "" or "reflect101" or "reflect-101" or "reflect_101" => BorderMode.Reflect101,
        "zero" or "constant" => BorderMode.Zero,
        "reflect" or "symmetric" => BorderMode.Reflect,
        "replicate" or "edge" => BorderMode.Replicate,
        "wrap" or "circular" => BorderMode.Wrap,
        _ => throw ConvServiceException.InvalidInput(
            "Invalid border",
            $"'border' must be one of zero, reflect, reflect101, replicate, wrap; got \"{border}\"."),
    };

    private static ConvServiceException InvalidPadding(string got) =>
        ConvServiceException.InvalidInput("Invalid padding", $"'padding' must be same, valid or a whole number of pixels P >= 0; {got}.");

    private static bool ParseFit(string? fit) => fit?.Trim().ToLowerInvariant() switch
    {
        null or "" or "exact" => false,
        "floor" => true,
        _ => throw ConvServiceException.InvalidInput("Invalid fit", $"'fit' must be exact or floor, got \"{fit}\"."),
    };
}

/// <summary>A padding choice: a mode, and the pixels per side for an explicit one.</summary>
public readonly record struct Padding(PaddingMode Mode, int Pad);
