using ConvService.Inference.Training;
using Microsoft.ML.OnnxRuntime;

namespace ConvService.Inference.Tests.Models;

/// <summary>Runs a LeNet-5 ONNX file through ONNX Runtime, one batch, and returns the probabilities [N,10].</summary>
internal static class OnnxRuntimeRunner
{
    public static float[] Probabilities(byte[] model, float[] images, int count)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var input = OrtValue.CreateTensorValueFromMemory(images, [count, 1, LeNet5Layout.ImageSize, LeNet5Layout.ImageSize]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [LeNet5Onnx.InputName], [input], [LeNet5Onnx.OutputName]);
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        Assert.Equal([count, LeNet5Layout.Classes], shape);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
