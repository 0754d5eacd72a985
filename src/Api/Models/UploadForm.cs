namespace ConvService.Api.Models;

/// <summary>Multipart fields of a model upload.</summary>
public sealed class UploadForm
{
    /// <summary>The ONNX file.</summary>
    public IFormFile? Model { get; set; }

    /// <summary>Optional model.json; without it the current descriptor is kept or one is derived from the graph.</summary>
    public IFormFile? Config { get; set; }
}
