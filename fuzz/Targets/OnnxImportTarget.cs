using ConvService.Inference.Engine;
using ConvService.Inference.Errors;
using ConvService.Inference.Onnx;
using ConvService.Inference.Serving.Descriptors;

namespace ConvService.Fuzz.Targets;

/// <summary>
/// The ONNX importer and validator as a model upload runs them: parse, validate, plan, then derive the default
/// descriptor. A refusal is a <see cref="ConvServiceException"/>; anything else that escapes would be a 500.
/// </summary>
internal static class OnnxImportTarget
{
    private static readonly EngineOptions Engine = EngineOptions.Default with { MaxModelBytes = 256L * 1024 * 1024 };

    public static void Run(byte[] bytes)
    {
        try
        {
            var model = OnnxModel.Load(bytes, Engine);
            var descriptor = ModelDescriptorReader.Default("fuzzed", model);
            ModelDescriptorReader.Check(descriptor, model, []);
        }
        catch (ConvServiceException)
        {
        }
    }
}
