namespace ConvService.Inference.Filters;

/// <summary>What the filter reads outside the image, shown for a row abcd.</summary>
public enum BorderMode
{
    /// <summary>Zeros: 000|abcd|000.</summary>
    Zero,

    /// <summary>Mirror with the edge pixel repeated: cba|abcd|dcb (scipy 'reflect', OpenCV BORDER_REFLECT).</summary>
    Reflect,

    /// <summary>Mirror about the edge pixel, not repeated: dcb|abcd|cba (OpenCV BORDER_REFLECT_101, its default).</summary>
    Reflect101,

    /// <summary>The edge pixel repeated: aaa|abcd|ddd.</summary>
    Replicate,

    /// <summary>Periodic: bcd|abcd|abc.</summary>
    Wrap,
}
