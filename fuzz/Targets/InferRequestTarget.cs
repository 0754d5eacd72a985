using ConvService.Api.KServe;
using ConvService.Inference.Engine;
using ConvService.Inference.Errors;

namespace ConvService.Fuzz.Targets;

/// <summary>
/// The v2 infer request reader against two model shapes: a fixed 1x28x28 digit input and an image input with
/// open height and width beside a second fixed input. A refusal is a <see cref="ConvServiceException"/>.
/// </summary>
internal static class InferRequestTarget
{
    private static readonly TensorInfo[] FixedInputs = [new("input", [1, 1, 28, 28], "N")];
    private static readonly TensorInfo[] FixedOutputs = [new("logits", [1, 10], "N")];
    private static readonly TensorInfo[] OpenInputs = [new("image", [1, 3, -1, -1], "N"), new("scale", [1, 2], "N")];
    private static readonly TensorInfo[] OpenOutputs = [new("features", [1, 8, -1, -1], "N"), new("score", [1, 1], "N")];

    public static void Run(byte[] bytes)
    {
        // The first byte picks the model so one corpus reaches both.
        var open = bytes.Length > 0 && bytes[0] == (byte)' ';
        try
        {
            using var body = new MemoryStream(bytes, writable: false);
            InferRequestReader.ReadAsync(
                body, "fuzzed", open ? OpenInputs : FixedInputs, open ? OpenOutputs : FixedOutputs,
                EngineOptions.Default.MaxElementsPerTensor, queueLimit: 64, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (ConvServiceException)
        {
        }
    }
}
