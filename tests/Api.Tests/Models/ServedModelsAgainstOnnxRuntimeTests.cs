using System.Net;
using System.Text.Json;
using ConvService.Api.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ConvService.Api.Tests.Models;

/// <summary>
/// The served models end to end: the HTTP answer for a real upload equals ONNX Runtime 1.31.1 run on the same
/// model files, fed a tensor the test prepares itself from the steps docs/models.md documents.
/// </summary>
public sealed class ServedModelsAgainstOnnxRuntimeTests
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData("chelsea.png")]
    [InlineData("coffee.png")]
    public async Task ResNetEmbeddingOfAPhotoEqualsOnnxRuntimeOnTheDocumentedPreprocessing(string sample)
    {
        var file = TestImages.Sample(sample);
        var folder = Path.Combine(ModelService.ShippedModels, "resnet18-features");
        var pixels = DocumentedPreprocessing.ShorterSideCentreCrop(file, 224);
        var prepared = Run(Path.Combine(folder, "preprocess.onnx"), pixels, [1, 3, 224, 224]);
        var expected = Run(Path.Combine(folder, "model.onnx"), prepared, [1, 3, 224, 224]);

        await using var service = ModelService.Create(["resnet18-features"]);
        var response = await service.Client.PostAsync("/api/models/resnet18-features/embed", Forms.With(file));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var served = JsonDocument.Parse(text).RootElement.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();

        Assert.Equal(512, expected.Length);
        Assert.True(expected.Count(v => v > 0.1f) > 100, "too few large features for the comparison to mean something");
        AssertWithin(expected, served);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(21)]
    public async Task LeNetProbabilitiesForADrawnDigitEqualOnnxRuntimeOnTheDocumentedPreprocessing(int index)
    {
        // A person's drawing: dark blue ink on white paper, 140 px, off centre, so every fit-digit step matters.
        var file = DigitImages.DrawnPng(index, 140);
        var pixels = DocumentedPreprocessing.FitDigit(file);
        var expected = Run(Path.Combine(ModelService.ShippedModels, "lenet5-mnist", "model.onnx"), pixels, [1, 1, 28, 28]);

        await using var service = ModelService.Create(["lenet5-mnist"]);
        var response = await service.Client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(file, fields: [("top", "10")]));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var served = new float[10];
        foreach (var prediction in JsonDocument.Parse(text).RootElement.GetProperty("predictions").EnumerateArray())
        {
            served[prediction.GetProperty("index").GetInt32()] = prediction.GetProperty("probability").GetSingle();
        }

        Assert.Equal((int)DigitImages.Digits.Labels[index], Array.IndexOf(expected, expected.Max()));
        AssertWithin(expected, served);
    }

    private static float[] Run(string modelPath, float[] input, int[] shape)
    {
        using var session = new InferenceSession(modelPath);
        var name = session.InputMetadata.Keys.Single();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(input, shape))]);
        return results.First().AsEnumerable<float>().ToArray();
    }

    private static void AssertWithin(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = Enumerable.Range(0, expected.Length).MaxBy(i => Math.Abs(expected[i] - actual[i]));
        Assert.True(
            Math.Abs(expected[worst] - actual[worst]) <= Tolerance,
            $"element {worst}: ONNX Runtime {expected[worst]}, served {actual[worst]} (difference {Math.Abs(expected[worst] - actual[worst]):E2}, tolerance {Tolerance:E0})");
    }
}
