using System.Diagnostics;
using ConvService.Inference.Engine;
using ConvService.Inference.Errors;
using ConvService.Inference.FilterBanks;
using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Preprocessing;

namespace ConvService.Inference.Classifiers;

/// <summary>
/// Trains a classifier from labelled images: writes the feature graph, runs it through the engine on every image
/// (so training sees exactly what serving will compute), fits the head, measures leave-one-out accuracy by
/// refitting the head without each image in turn, and writes features and head as one ONNX file.
/// </summary>
public static class ClassifierTrainer
{
    private const int KMeansIterations = 20;
    private const int PixelsPerClass = 4000;

    public static TrainedClassifier Train(
        string name,
        IReadOnlyList<LabelledImage> images,
        ClassifierSettings settings,
        FeatureNetwork? network = null,
        EngineOptions? engine = null,
        CancellationToken cancellationToken = default)
    {
        var extracted = Extract(images, settings, network, engine, cancellationToken);
        return Finish(name, extracted, settings, cancellationToken);
    }

    /// <summary>
    /// The feature graph and every image's features. Depends on the feature settings only, so one extraction can be
    /// finished with each method in turn.
    /// </summary>
    public static ExtractedFeatures Extract(
        IReadOnlyList<LabelledImage> images, ClassifierSettings settings, FeatureNetwork? network = null, EngineOptions? engine = null, CancellationToken cancellationToken = default)
    {
        engine ??= EngineOptions.Default;
        Check(images, settings, network);
        cancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        var labels = images.Select(i => i.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var classOf = images.Select(i => Array.IndexOf(labels, i.Label)).ToArray();

        var (graph, features, descriptor, files) = settings.Features == FeatureKinds.ResNet18
            ? ResNetFeatures(network!)
            : BankFeatures(settings);
        var preprocessor = new ImagePreprocessor(descriptor, files.Count > 0 ? OnnxModel.Load(files.Values.First(), engine) : null);
        var tensors = images.Select(i => preprocessor.PrepareImage(i.Image).Tensor).ToArray();
        if (settings.Features == FeatureKinds.Textons)
        {
            features = AddTextons(graph, features, tensors, classOf, labels.Length, settings, engine, cancellationToken);
        }

        var rows = Run(graph, features, tensors, engine, cancellationToken);
        graph.SetOutput(features, rows[0].Length);
        return new ExtractedFeatures(graph, features, descriptor, files, rows, classOf, labels, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Fits the head, measures leave-one-out accuracy and writes features and head as one ONNX file.</summary>
    public static TrainedClassifier Finish(string name, ExtractedFeatures extracted, ClassifierSettings settings, CancellationToken cancellationToken = default)
    {
        var (rows, classOf, labels) = (extracted.Rows, extracted.ClassOf, extracted.Labels);
        var fit = Stopwatch.StartNew();
        var head = Fit(rows, classOf, labels.Count, settings, cancellationToken);
        var confusion = LeaveOneOut(rows, classOf, labels.Count, settings, cancellationToken);
        var fitTime = fit.Elapsed.TotalMilliseconds;

        var graph = extracted.Graph.Clone();
        var scores = head.Write(graph, extracted.Output);
        graph.SetOutput(scores, labels.Count);
        graph.Model.Graph.Name = name;
        graph.Model.DocString = $"Classifier of {labels.Count} classes on {settings.Features} features by {settings.Method}.";
        var onnx = graph.ToBytes();

        var correct = Enumerable.Range(0, labels.Count).Sum(c => confusion[c][c]);
        var report = new TrainingReport(
            settings.Features,
            settings.Method,
            settings.Method == ClassifierMethods.Knn ? Math.Min(settings.K, rows.Length - 1) : null,
            labels,
            Enumerable.Range(0, labels.Count).Select(c => classOf.Count(x => x == c)).ToArray(),
            rows[0].Length,
            (double)correct / rows.Length,
            confusion,
            extracted.Milliseconds,
            fitTime,
            extracted.Milliseconds + fitTime,
            onnx.LongLength,
            settings.Seed);
        var descriptor = extracted.Descriptor with
        {
            Name = name,
            DisplayName = $"{name} ({settings.Features} {settings.Method}, {labels.Count} classes)",
            Task = ModelTasks.Classify,
            Description = $"Trained on {rows.Length} labelled images: {settings.Features} features, {settings.Method} head; leave-one-out accuracy {report.LeaveOneOutAccuracy:P1}.",
            Labels = labels,
        };
        return new TrainedClassifier(onnx, descriptor, extracted.Files, report);
    }

    /// <summary>The head trained on all rows.</summary>
    public static IClassifierHead Fit(IReadOnlyList<float[]> rows, IReadOnlyList<int> classOf, int classes, ClassifierSettings settings, CancellationToken cancellationToken)
    {
        // Mean and deviation statistics live on very different scales; histograms and unit-length network features do not.
        var standardize = settings.Features is FeatureKinds.Mr8 or FeatureKinds.LeungMalik or FeatureKinds.Schmid;
        return settings.Method switch
        {
            ClassifierMethods.Knn => KnnHead.Train(rows, classOf, classes, settings.K, standardize),
            ClassifierMethods.Logistic => LogisticHead.Train(rows, classOf, classes, standardize, settings.Iterations, settings.Seed, cancellationToken),
            _ => CentroidHead.Train(rows, classOf, classes, standardize),
        };
    }

    /// <summary>Confusion counts of predicting each row with the head refitted on all the others.</summary>
    public static int[][] LeaveOneOut(IReadOnlyList<float[]> rows, IReadOnlyList<int> classOf, int classes, ClassifierSettings settings, CancellationToken cancellationToken)
    {
        var predicted = new int[rows.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.Threads), CancellationToken = cancellationToken };
        Parallel.For(0, rows.Count, options, i =>
        {
            var others = Enumerable.Range(0, rows.Count).Where(j => j != i).ToArray();
            var head = Fit(others.Select(j => rows[j]).ToArray(), others.Select(j => classOf[j]).ToArray(), classes, settings, cancellationToken);
            predicted[i] = head.Predict(rows[i]);
        });

        var confusion = Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray();
        for (var i = 0; i < rows.Count; i++)
        {
            confusion[classOf[i]][predicted[i]]++;
        }

        return confusion;
    }

    private static void Check(IReadOnlyList<LabelledImage> images, ClassifierSettings settings, FeatureNetwork? network)
    {
        if (!FeatureKinds.All.Contains(settings.Features))
        {
            throw ConvServiceException.InvalidInput("Unknown features", $"'features' is '{settings.Features}'; use one of {string.Join(", ", FeatureKinds.All)}.");
        }

        if (!ClassifierMethods.All.Contains(settings.Method))
        {
            throw ConvServiceException.InvalidInput("Unknown method", $"'method' is '{settings.Method}'; use one of {string.Join(", ", ClassifierMethods.All)}.");
        }

        if (settings.K is < 1 or > 50)
        {
            throw ConvServiceException.InvalidInput("Invalid k", $"'k' is {settings.K}; give a whole number from 1 to 50 (the neighbours that vote).");
        }

        if (settings.Side is < 32 or > 256)
        {
            throw ConvServiceException.InvalidInput("Invalid size", $"'size' is {settings.Side}; give a side from 32 to 256 pixels (filter-bank images are scaled to it; the 49x49 filters need at least 32).");
        }

        if (settings.Features == FeatureKinds.ResNet18 && network is null)
        {
            throw ConvServiceException.DoesNotFit("No feature network", "resnet18 features need the resnet18-features model in the repository; it is not there. Use features mr8, lm, s or textons, or restore the model.");
        }

        var counts = images.GroupBy(i => i.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        if (counts.Count < 2)
        {
            throw ConvServiceException.DoesNotFit(
                "Too few classes",
                $"A classifier needs at least 2 classes with at least 1 image each; the upload has {counts.Count} ({string.Join(", ", counts.Keys)}). Add images of another class.");
        }
    }

    private static (GraphAppender Graph, string Features, ModelDescriptor Descriptor, Dictionary<string, byte[]> Files) ResNetFeatures(FeatureNetwork network)
    {
        var graph = new GraphAppender(ModelProto.Parser.ParseFrom(network.Onnx));
        var features = FeatureGraphs.L2Normalised(graph, graph.OutputName);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (network.Descriptor.Preprocessing.Graph is { } file && network.PreprocessingGraph is { } bytes)
        {
            files[file] = bytes;
        }

        return (graph, features, network.Descriptor, files);
    }

    private static (GraphAppender Graph, string Features, ModelDescriptor Descriptor, Dictionary<string, byte[]> Files) BankFeatures(ClassifierSettings settings)
    {
        var bank = FilterBanks.FilterBanks.Get(settings.Features == FeatureKinds.Textons ? FeatureKinds.Mr8 : settings.Features);
        var (graph, responses, _) = FeatureGraphs.BankResponses(bank, settings.Side);
        var features = settings.Features == FeatureKinds.Textons ? FeatureGraphs.ContrastNormalised(graph, responses) : FeatureGraphs.MeanAndDeviation(graph, responses);
        var descriptor = new ModelDescriptor
        {
            Input = new InputDescriptor { Name = FeatureGraphs.ImageInput, Channels = 1, Height = settings.Side, Width = settings.Side },
            Preprocessing = new PreprocessingDescriptor { Resize = ResizeModes.ShorterSide, ResizeTo = settings.Side, Crop = true, Grayscale = true },
        };
        return (graph, features, descriptor, []);
    }

    /// <summary>Learns the texton dictionary (k-means per class on a seeded sample of pixels) and appends the histogram.</summary>
    private static string AddTextons(
        GraphAppender graph, string responses, float[][] tensors, int[] classOf, int classes, ClassifierSettings settings, EngineOptions engine, CancellationToken cancellationToken)
    {
        var maps = Run(graph, responses, tensors, engine, cancellationToken);
        var dimensions = 8;
        var random = new Random(settings.Seed);
        var textons = new List<float[]>();
        for (var c = 0; c < classes; c++)
        {
            var pixels = new List<float[]>();
            var members = Enumerable.Range(0, tensors.Length).Where(i => classOf[i] == c).ToArray();
            var planeSize = maps[0].Length / dimensions;
            var perImage = Math.Max(1, PixelsPerClass / members.Length);
            foreach (var i in members)
            {
                for (var s = 0; s < Math.Min(perImage, planeSize); s++)
                {
                    var pixel = random.Next(planeSize);
                    pixels.Add(Enumerable.Range(0, dimensions).Select(r => maps[i][r * planeSize + pixel]).ToArray());
                }
            }

            textons.AddRange(KMeans.Cluster(pixels, settings.TextonsPerClass, settings.Seed + c, KMeansIterations, cancellationToken));
        }

        return FeatureGraphs.TextonHistogram(graph, responses, [.. textons]);
    }

    /// <summary>Runs the graph up to <paramref name="output"/> on each image, one at a time.</summary>
    private static float[][] Run(GraphAppender graph, string output, float[][] tensors, EngineOptions engine, CancellationToken cancellationToken)
    {
        var copy = graph.Clone();
        copy.SetOutput(output, null);
        var model = OnnxModel.Load(copy.ToBytes(), engine);
        using var session = model.CreateSession(1);
        var rows = new float[tensors.Length][];
        for (var i = 0; i < tensors.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            session.Run(tensors[i]);
            rows[i] = session.Output(session.Outputs[0].Name).ToArray();
        }

        return rows;
    }
}
