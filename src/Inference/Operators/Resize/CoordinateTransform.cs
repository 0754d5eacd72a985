namespace ConvService.Inference.Operators.Resize;

/// <summary>ONNX coordinate_transformation_mode: where an output index lands on the input axis.</summary>
public enum CoordinateTransform
{
    HalfPixel,
    HalfPixelSymmetric,
    PytorchHalfPixel,
    AlignCorners,
    Asymmetric,
    TfHalfPixelForNn,
    TfCropAndResize,
}
