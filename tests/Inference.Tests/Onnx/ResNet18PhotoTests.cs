using ConvService.Inference.Engine;
using ConvService.Inference.Onnx;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>
/// The ImageNet-trained ResNet-18 shipped in Microsoft.ML.DnnImageFeaturizer.ResNet18, preprocessing graph
/// included, on real photographs: our 512 features against ONNX Runtime's.
/// </summary>
public sealed class ResNet18PhotoTests
{
    private static readonly int[] ImageShape = [1, 3, 224, 224];

    /// <summary>The vector levels only: the scalar kernels are checked layer by layer, and a whole network there takes half a minute.</summary>
    public static TheoryData<SimdLevel> VectorLevels() => new(SimdLevels.All.Where(level => level != SimdLevel.Scalar));

    [SkippableTheory]
    [MemberData(nameof(VectorLevels))]
    public void FeaturesMatchOnnxRuntimeOnAPhotograph(SimdLevel level)
    {
        SimdLevels.Require(level);
        var rgb = Photos.LoadRgbPlanar("chelsea.png", 224, 224);
        var preprocessBytes = File.ReadAllBytes(PackagedModels.Preprocess);
        var resnetBytes = File.ReadAllBytes(PackagedModels.ResNet18);

        var ourInput = EngineRunner.Run(preprocessBytes, rgb);
        var ortInput = OrtOracle.Run(preprocessBytes, rgb, ImageShape);
        Accuracy.AssertClose(ortInput, ourInput, 1e-6);

        var model = OnnxModel.Load(resnetBytes, new EngineOptions { Simd = level });
        Assert.Equal("Input247", model.Inputs[0].Name);
        Assert.Equal([1, 512, 1, 1], model.Outputs[0].Shape);
        using var session = model.CreateSession();
        var features = new float[512];
        session.Run(ourInput, features);
        var expected = OrtOracle.Run(resnetBytes, ortInput, ImageShape);

        Accuracy.AssertClose(expected, features, 1e-4);
        Assert.True(features.Max() > 0.5f, "a trained network gives strong features on a photograph");
    }

    [Fact]
    public void PackagedResNet18HasTheExpectedStructure()
    {
        var model = OnnxModel.LoadFile(PackagedModels.ResNet18);
        Assert.Equal(22, model.Layers.Count(l => l.OpType.StartsWith("Conv+BatchNormalization", StringComparison.Ordinal)));

        // Every residual Add (and the Relu after it) is folded into the convolution that produces one operand.
        Assert.Equal(9, model.Layers.Count(l => l.OpType == "Conv+BatchNormalization+Add+Relu"));
        Assert.DoesNotContain(model.Layers, l => l.OpType.StartsWith("Add", StringComparison.Ordinal));
        Assert.Equal([1, 64, 112, 112], model.Layers[0].OutputShape);
        Assert.InRange(model.ParameterCount, 11_000_000, 16_000_000);

        // 2.045 GMAC per 224x224 image, all of it in the 22 convolutions.
        Assert.Equal(2.045e9, model.Layers.Sum(l => l.MultiplyAccumulates), 0.005e9);
    }

    /// <summary>
    /// An intermediate activation (what activation maps show) on the second photograph: our RunUntil against ONNX
    /// Runtime on the same graph with that value declared as its output. Stops early, so it stays cheap.
    /// </summary>
    [Fact]
    public void IntermediateActivationMatchesOnnxRuntime()
    {
        var rgb = Photos.LoadRgbPlanar("coffee.png", 224, 224);
        var input = EngineRunner.Run(File.ReadAllBytes(PackagedModels.Preprocess), rgb);
        var resnetBytes = File.ReadAllBytes(PackagedModels.ResNet18);
        var model = OnnxModel.Load(resnetBytes);
        var layer = model.Layers[3];
        using var session = model.CreateSession();
        var ours = session.RunUntil(layer.Name, input).ToArray();

        var proto = ConvService.Inference.Onnx.Proto.ModelProto.Parser.ParseFrom(resnetBytes);
        var lastFused = layer.FusedNodeNames.Count > 0 ? layer.FusedNodeNames[^1] : layer.Name;
        var valueName = proto.Graph.Node.First(n => n.Name == lastFused).Output[0];
        proto.Graph.Output.Clear();
        proto.Graph.Output.Add(new ConvService.Inference.Onnx.Proto.ValueInfoProto { Name = valueName });
        var expected = OrtOracle.Run(Google.Protobuf.MessageExtensions.ToByteArray(proto), input, ImageShape);

        Assert.Equal(layer.OutputShape.Aggregate(1, (p, d) => p * d), ours.Length);
        Accuracy.AssertClose(expected, ours, 1e-4);
    }
}
