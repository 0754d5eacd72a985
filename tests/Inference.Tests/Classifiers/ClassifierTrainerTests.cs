using ConvService.Inference.Classifiers;
using ConvService.Inference.Errors;
using ConvService.Inference.Onnx;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Preprocessing;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Classifiers;

/// <summary>Classifiers trained on real texture patches: what they predict, and that their ONNX files mean the same to our engine and to ONNX Runtime.</summary>
public sealed class ClassifierTrainerTests
{
    private static LabelledImage[] Training(int perClass) =>
    [
        .. Enumerable.Range(0, perClass).Select(i => new LabelledImage("brick", TexturePatches.Patch("brick.png", i * 3))),
        .. Enumerable.Range(0, perClass).Select(i => new LabelledImage("grass", TexturePatches.Patch("grass.png", i * 3))),
    ];

    // Patches from the bottom rows, never used for training.
    private static (string Label, float[] Tensor)[] Unseen(TrainedClassifier trained) =>
    [
        .. new[] { 56, 61 }.Select(i => ("brick", Prepare(trained, TexturePatches.Patch("brick.png", i)))),
        .. new[] { 57, 62 }.Select(i => ("grass", Prepare(trained, TexturePatches.Patch("grass.png", i)))),
    ];

    private static float[] Prepare(TrainedClassifier trained, ConvService.Inference.Filters.FloatImage image) =>
        new ImagePreprocessor(trained.Descriptor).PrepareImage(image).Tensor;

    [Theory]
    [InlineData(FeatureKinds.Mr8, ClassifierMethods.Centroid)]
    [InlineData(FeatureKinds.Mr8, ClassifierMethods.Knn)]
    [InlineData(FeatureKinds.Textons, ClassifierMethods.Logistic)]
    public void TellsUnseenBrickFromGrassAndOnnxRuntimeAgrees(string features, string method)
    {
        var trained = ClassifierTrainer.Train("bricks", Training(4), new ClassifierSettings { Features = features, Method = method, K = 3 });

        Assert.Equal(["brick", "grass"], trained.Descriptor.Labels);
        Assert.Equal(8, trained.Report.Confusion.Sum(row => row.Sum()));
        Assert.True(trained.Report.LeaveOneOutAccuracy >= 0.75, $"leave-one-out accuracy {trained.Report.LeaveOneOutAccuracy}");
        var model = OnnxModel.Load(trained.Onnx);
        foreach (var (label, tensor) in Unseen(trained))
        {
            using var session = model.CreateSession(1);
            session.Run(tensor);
            var ours = session.Output(session.Outputs[0].Name).ToArray();
            var ort = OrtOracle.Run(trained.Onnx, tensor, [1, 1, TexturePatches.Side, TexturePatches.Side]);
            Assert.Equal(1f, ours.Sum(), 3);
            Assert.Equal(label, trained.Descriptor.Labels[Array.IndexOf(ours, ours.Max())]);
            Accuracy.AssertClose(ort, ours, 2e-3);
        }
    }

    [Fact]
    public void ResNetClassifierIsTheFeatureNetworkWithAHeadAndOnnxRuntimeAgrees()
    {
        var descriptor = new ModelDescriptor
        {
            Input = new InputDescriptor { Name = "Input247", Channels = 3, Height = 224, Width = 224 },
            Preprocessing = new PreprocessingDescriptor { Resize = ResizeModes.ShorterSide, ResizeTo = 224, Crop = true, Graph = "preprocess.onnx" },
        };
        var network = new FeatureNetwork(File.ReadAllBytes(PackagedModels.ResNet18), descriptor, File.ReadAllBytes(PackagedModels.Preprocess));
        var trained = ClassifierTrainer.Train("photos", Training(2), new ClassifierSettings { Method = ClassifierMethods.Centroid }, network);

        Assert.Equal(512, trained.Report.FeatureLength);
        Assert.Equal(["preprocess.onnx"], trained.Files.Keys);
        var tensor = new ImagePreprocessor(trained.Descriptor, OnnxModel.Load(network.PreprocessingGraph!)).PrepareImage(TexturePatches.Patch("grass.png", 62)).Tensor;
        var ours = EngineRunner.Run(trained.Onnx, tensor);
        var ort = OrtOracle.Run(trained.Onnx, tensor, [1, 3, 224, 224]);
        Assert.Equal("grass", trained.Descriptor.Labels[Array.IndexOf(ours, ours.Max())]);
        Accuracy.AssertClose(ort, ours, 1e-3);
    }

    [Fact]
    public void SameImagesAndSeedGiveTheSameFile()
    {
        var settings = new ClassifierSettings { Features = FeatureKinds.Schmid, Method = ClassifierMethods.Logistic, Seed = 5 };
        var first = ClassifierTrainer.Train("a", Training(2), settings);
        var second = ClassifierTrainer.Train("a", Training(2), settings);
        Assert.Equal(first.Onnx, second.Onnx);
    }

    [Fact]
    public void OneClassIsRefused()
    {
        var images = Enumerable.Range(0, 3).Select(i => new LabelledImage("brick", TexturePatches.Patch("brick.png", i))).ToArray();
        var error = Assert.Throws<ConvServiceException>(() => ClassifierTrainer.Train("a", images, new ClassifierSettings { Features = FeatureKinds.Schmid }));
        Assert.Equal(ErrorKind.DoesNotFit, error.Kind);
        Assert.Contains("at least 2 classes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpiredBudgetStopsTraining()
    {
        using var expired = new CancellationTokenSource();
        expired.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ClassifierTrainer.Train("a", Training(2), new ClassifierSettings { Features = FeatureKinds.Schmid }, null, null, expired.Token));
    }
}
