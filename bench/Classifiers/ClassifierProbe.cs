using System.Diagnostics;
using System.Globalization;
using ConvService.Inference.Classifiers;
using ConvService.Inference.Filters;
using ConvService.Inference.Onnx;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Bench.Classifiers;

/// <summary>
/// The measurements of docs/classifiers.md: leave-one-out accuracy of every feature kind and method on texture
/// patches (brick, grass, gravel) and on faces or not (lfw_subset as PNGs), training time, and the engine time of
/// one classifier prediction against the plain feature network.
/// <code>
/// dotnet run -c Release --project bench -- --classifier-probe textures 5 20
/// dotnet run -c Release --project bench -- --classifier-probe faces /tmp/lfw
/// dotnet run -c Release --project bench -- --classifier-probe time100 /tmp/lfw
/// dotnet run -c Release --project bench -- --classifier-probe latency
/// </code>
/// </summary>
internal static class ClassifierProbe
{
    private static readonly string[] Textures = ["brick", "grass", "gravel"];

    public static void Run(string[] args)
    {
        switch (args)
        {
            case ["textures", .. var counts]:
                foreach (var perClass in counts.Select(c => int.Parse(c, CultureInfo.InvariantCulture)))
                {
                    Console.WriteLine($"## {perClass} patches per class");
                    Table(TexturePatches(perClass));
                }

                break;
            case ["faces", var folder]:
                Table(Folder(folder));
                break;
            case ["time100", var folder]:
                TrainingTime(Folder(folder));
                break;
            case ["latency"]:
                Latency();
                break;
            default:
                Console.Error.WriteLine("usage: --classifier-probe textures 5 20 | faces <folder> | time100 <folder> | latency");
                break;
        }
    }

    /// <summary>One row per feature kind: leave-one-out accuracy of each method, and the time of features and of each fit.</summary>
    private static void Table(IReadOnlyList<LabelledImage> images)
    {
        Console.WriteLine($"{images.Count} images, {images.Select(i => i.Label).Distinct().Count()} classes");
        Console.WriteLine("| features | D | centroid | knn (k=3) | logistic | features ms | centroid ms | knn ms | logistic ms |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var kind in FeatureKinds.All)
        {
            var settings = new ClassifierSettings { Features = kind };
            var extracted = ClassifierTrainer.Extract(images, settings, kind == FeatureKinds.ResNet18 ? Network() : null);
            var results = ClassifierMethods.All
                .Select(method => ClassifierTrainer.Finish("probe", extracted, settings with { Method = method, K = 3 }).Report)
                .ToArray();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {kind} | {extracted.Rows[0].Length} | {string.Join(" | ", results.Select(r => r.LeaveOneOutAccuracy.ToString("P1", CultureInfo.InvariantCulture)))} | {extracted.Milliseconds:F0} | {string.Join(" | ", results.Select(r => r.FitMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))} |"));
        }
    }

    /// <summary>Whole trainings (features, fit, leave-one-out, ONNX file) on the first 50 images of each of two classes.</summary>
    private static void TrainingTime(IReadOnlyList<LabelledImage> all)
    {
        var images = all.GroupBy(i => i.Label).SelectMany(g => g.Take(50)).ToArray();
        Console.WriteLine($"{images.Length} images");
        Console.WriteLine("| features | method | features ms | fit + leave-one-out ms | total ms | file bytes |");
        Console.WriteLine("|---|---|--:|--:|--:|--:|");
        foreach (var kind in FeatureKinds.All)
        {
            foreach (var method in new[] { ClassifierMethods.Centroid, ClassifierMethods.Logistic })
            {
                var report = ClassifierTrainer.Train("probe", images, new ClassifierSettings { Features = kind, Method = method }, kind == FeatureKinds.ResNet18 ? Network() : null).Report;
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {kind} | {method} | {report.FeatureMilliseconds:F0} | {report.FitMilliseconds:F0} | {report.TotalMilliseconds:F0} | {report.ModelBytes:N0} |"));
            }
        }
    }

    /// <summary>Engine time of one image through the resnet18 feature network and through a resnet18 and an mr8 classifier.</summary>
    private static void Latency()
    {
        var network = Network();
        var images = TexturePatches(5);
        var resnet = ClassifierTrainer.Train("probe", images, new ClassifierSettings { Features = FeatureKinds.ResNet18 }, network);
        var mr8 = ClassifierTrainer.Train("probe", images, new ClassifierSettings { Features = FeatureKinds.Mr8 });
        var resnetInput = new ImagePreprocessor(resnet.Descriptor, OnnxModel.Load(network.PreprocessingGraph!)).PrepareImage(images[0].Image).Tensor;
        var mr8Input = new ImagePreprocessor(mr8.Descriptor).PrepareImage(images[0].Image).Tensor;
        Console.WriteLine("| model | file bytes | median ms | min ms |");
        Console.WriteLine("|---|--:|--:|--:|");
        Time("resnet18-features (plain embed)", network.Onnx, resnetInput);
        Time("resnet18 centroid classifier", resnet.Onnx, resnetInput);
        Time("mr8 centroid classifier", mr8.Onnx, mr8Input);
    }

    private static void Time(string name, byte[] onnx, float[] input)
    {
        using var session = OnnxModel.Load(onnx).CreateSession(1);
        for (var i = 0; i < 3; i++)
        {
            session.Run(input);
        }

        var times = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            var clock = Stopwatch.StartNew();
            session.Run(input);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {onnx.Length:N0} | {times[times.Count / 2]:F2} | {times[0]:F2} |"));
    }

    /// <summary>Patches 0, 3, 6, ... of each 512x512 texture, cut to 64x64 (a 8x8 grid of patches).</summary>
    private static List<LabelledImage> TexturePatches(int perClass)
    {
        var images = new List<LabelledImage>();
        foreach (var texture in Textures)
        {
            using var image = Image.Load<L8>(Find(Path.Combine("samples", texture + ".png")));
            for (var i = 0; i < perClass; i++)
            {
                var index = i * 3 % 64;
                var patch = new FloatImage(64, 64, 1);
                for (var y = 0; y < 64; y++)
                {
                    for (var x = 0; x < 64; x++)
                    {
                        patch.Data[y * 64 + x] = image[index % 8 * 64 + x, index / 8 * 64 + y].PackedValue;
                    }
                }

                images.Add(new LabelledImage(texture, patch));
            }
        }

        return images;
    }

    /// <summary>Every PNG under folder/label/.</summary>
    private static List<LabelledImage> Folder(string folder)
    {
        var images = new List<LabelledImage>();
        foreach (var dir in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            foreach (var file in Directory.GetFiles(dir, "*.png").Order(StringComparer.Ordinal))
            {
                using var image = Image.Load<L8>(file);
                var planes = new FloatImage(image.Width, image.Height, 1);
                for (var y = 0; y < image.Height; y++)
                {
                    for (var x = 0; x < image.Width; x++)
                    {
                        planes.Data[y * image.Width + x] = image[x, y].PackedValue;
                    }
                }

                images.Add(new LabelledImage(Path.GetFileName(dir), planes));
            }
        }

        return images;
    }

    private static FeatureNetwork Network()
    {
        var problems = new List<string>();
        var descriptor = ModelDescriptorReader.Parse(File.ReadAllBytes(Find(Path.Combine("models", "resnet18-features", "model.json"))), problems)!;
        return new FeatureNetwork(
            File.ReadAllBytes(Find(Path.Combine("models", "resnet18", "ResNet18.onnx"))),
            descriptor,
            File.ReadAllBytes(Find(Path.Combine("models", "resnet18", "ResNetPreprocess.onnx"))));
    }

    private static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} was not found above {AppContext.BaseDirectory}.");
    }
}
