using ConvService.Inference.Engine;
using ConvService.Inference.Errors;
using ConvService.Inference.Onnx;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Engine;

public sealed class SessionTests
{
    private static byte[] SmallClassifier(int batch = 1, string? batchSymbol = null)
    {
        var b = new OnnxGraphBuilder(seed: 17);
        var x = b.Input("image", [batch, 3, 12, 12], batchSymbol);
        x = b.Relu(b.Conv(x, 4, 3, pad: 1, name: "conv1"), name: "relu1");
        x = b.MaxPool(x, 2, 2, name: "pool1");
        x = b.Relu(b.BatchNorm(b.Conv(x, 6, 3, name: "conv2")));
        x = b.Flatten(x);
        b.Output(b.Softmax(b.Gemm(x, 5, name: "fc")));
        return b.ToBytes();
    }

    [Fact]
    public void ListsInputsOutputsAndLayers()
    {
        var model = OnnxModel.Load(SmallClassifier());
        var input = Assert.Single(model.Inputs);
        Assert.Equal("image", input.Name);
        Assert.Equal([1, 3, 12, 12], input.Shape);
        Assert.Null(input.BatchSymbol);
        Assert.Equal([1, 5], Assert.Single(model.Outputs).Shape);
        Assert.Equal(["conv1", "pool1", "conv2"], model.Layers.Take(3).Select(l => l.Name));
        Assert.Equal(["Conv+Relu", "MaxPool", "Conv+BatchNormalization+Relu", "Flatten", "Gemm", "Softmax"], model.Layers.Select(l => l.OpType));
        Assert.Equal(4 * 27 + 4, model.Layers[0].ParameterCount);
        Assert.Equal(6 * 36 + 6, model.Layers[2].ParameterCount);
        Assert.Equal(5 * 96 + 5, model.Layers[4].ParameterCount);
        Assert.Equal([1, 96], model.Layers[3].OutputShape);
        Assert.Equal(4L * 27 * 144, model.Layers[0].MultiplyAccumulates);
        Assert.Equal(5L * 96, model.Layers[4].MultiplyAccumulates);
    }

    [Fact]
    public void SymbolicBatchIsReportedAndAnyBatchRuns()
    {
        var model = OnnxModel.Load(SmallClassifier(batchSymbol: "N"));
        Assert.Equal("N", model.Inputs[0].BatchSymbol);
        Assert.Equal(1, model.Inputs[0].Shape[0]);
        using var session = model.CreateSession(3);
        Assert.Equal([3, 5], session.Outputs[0].Shape);
    }

    [Fact]
    public void BatchRunEqualsImageByImageRuns()
    {
        var model = OnnxModel.Load(SmallClassifier());
        var images = Accuracy.Random(3 * 3 * 12 * 12, seed: 4);
        using var batched = model.CreateSession(3);
        var all = new float[15];
        batched.Run(images, all);

        using var single = model.CreateSession(1);
        var one = new float[5];
        for (var n = 0; n < 3; n++)
        {
            single.Run(images.AsSpan(n * 432, 432), one);
            Accuracy.AssertClose(one, all.AsSpan(n * 5, 5), 1e-6);
        }
    }

    [Fact]
    public void ConstantReshapeTargetFollowsTheSessionBatch()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [1, 2, 3, 3]);
        var target = b.IntegerInitializer("target", [1, 18]);
        b.Output(b.Gemm(b.Node("Reshape", "reshape", [x, target], [1, 18]), 4));
        using var session = OnnxModel.Load(b.ToBytes()).CreateSession(2);
        Assert.Equal([2, 4], session.Outputs[0].Shape);
    }

    [Fact]
    public void RunUntilReturnsTheNamedActivationAndFusedNamesFindTheirLayer()
    {
        var bytes = SmallClassifier();
        var model = OnnxModel.Load(bytes);
        using var session = model.CreateSession();
        var input = Accuracy.Random(432, seed: 5);
        var pooled = session.RunUntil("pool1", input).ToArray();
        Assert.Equal(4 * 6 * 6, pooled.Length);
        var relu = session.RunUntil("relu1", input).ToArray();
        Assert.Equal(4 * 12 * 12, relu.Length);
        Assert.All(relu, v => Assert.True(v >= 0f));

        // The pooled activation equals 2x2 max pooling of the fused conv+relu output.
        Assert.Equal(MathF.Max(MathF.Max(relu[0], relu[1]), MathF.Max(relu[12], relu[13])), pooled[0]);
    }

    [Fact]
    public void UnknownLayerIsNotFound()
    {
        using var session = OnnxModel.Load(SmallClassifier()).CreateSession();
        var error = Assert.Throws<ConvServiceException>(() => session.RunUntil("nope", new float[432]));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public void WrongInputSizeIsABadRequest()
    {
        using var session = OnnxModel.Load(SmallClassifier()).CreateSession();
        var error = Assert.Throws<ConvServiceException>(() => session.Run(new float[431], new float[5]));
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Contains("[1, 3, 12, 12]", error.Message);
    }

    [Fact]
    public void IntermediateGraphOutputSurvivesTheRestOfTheRun()
    {
        var b = new OnnxGraphBuilder(seed: 3);
        var x = b.Input("x", [1, 2, 8, 8]);
        var early = b.Relu(b.Conv(x, 4, 3, pad: 1));
        b.Output(early);
        var late = b.Relu(b.Conv(b.Relu(b.Conv(early, 4, 3, pad: 1)), 4, 3, pad: 1));
        b.Output(late);
        var bytes = b.ToBytes();
        var input = Accuracy.Random(128, seed: 2);
        using var session = OnnxModel.Load(bytes).CreateSession();
        session.Run(input);
        Accuracy.AssertClose(OrtOracle.Run(bytes, input, [1, 2, 8, 8], early), session.Output(early), 1e-5);
        Accuracy.AssertClose(OrtOracle.Run(bytes, input, [1, 2, 8, 8], late), session.Output(late), 1e-5);
    }

    [Fact]
    public void BuffersAreReusedAlongAChain()
    {
        var model = OnnxModel.Load(NetworkZoo.Vgg11Quarter());
        var plan = model.PlanFor([[.. model.ListingShapes[0]]]);
        Assert.True(plan.BufferSizes.Length <= 3, $"{plan.BufferSizes.Length} buffers for a plain chain");
    }

    [Fact]
    public void SteadyStateRunAllocatesNextToNothing()
    {
        var model = OnnxModel.Load(NetworkZoo.LeNet5());
        using var session = model.CreateSession();
        var input = Accuracy.Random(1024, seed: 1);
        var output = new float[10];
        session.Run(input, output);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            session.Run(input, output);
        }

        var perRun = (GC.GetAllocatedBytesForCurrentThread() - before) / 10;
        Assert.True(perRun < 1024, $"{perRun} bytes allocated per run");
    }

    [Fact]
    public void TwoThreadsGiveTheSameAnswer()
    {
        var bytes = NetworkZoo.LeNet5(batch: 2);
        var input = Accuracy.Random(2048, seed: 8);
        var one = EngineRunner.Run(bytes, input, 2);
        var two = EngineRunner.Run(bytes, input, 2, options: new EngineOptions { DegreeOfParallelism = 2 });
        Accuracy.AssertClose(one, two, 1e-6);
    }

    [Fact]
    public void LargePoolsAndResidualAddsSplitOverTwoThreadsGiveTheSameAnswer()
    {
        // 3 x 5 planes of 97 x 97: above the size where pooling and same-shape adds use both threads, odd plane counts.
        var b = new OnnxGraphBuilder(seed: 23);
        var x = b.Input("image", [3, 5, 97, 97]);
        var sum = b.Relu(b.Add(b.Conv(x, 5, 3, pad: 1), x));
        b.Output(b.Add(b.MaxPool(sum, 3, 1, pad: 1), b.AveragePool(sum, 3, 1, pad: 1)));
        var bytes = b.ToBytes();
        var input = Accuracy.Random(3 * 5 * 97 * 97, seed: 9);
        var one = EngineRunner.Run(bytes, input, 3);
        var two = EngineRunner.Run(bytes, input, 3, options: new EngineOptions { DegreeOfParallelism = 2 });
        Accuracy.AssertClose(one, two, 1e-6);
        Accuracy.AssertClose(OrtOracle.Run(bytes, input, [3, 5, 97, 97], null), two, 1e-4);
    }

    [Fact]
    public void SessionsOfOneModelRunConcurrently()
    {
        var model = OnnxModel.Load(NetworkZoo.LeNet5());
        var inputs = Enumerable.Range(0, 4).Select(i => Accuracy.Random(1024, seed: 100 + i)).ToArray();
        var expected = inputs.Select(input =>
        {
            using var session = model.CreateSession();
            var output = new float[10];
            session.Run(input, output);
            return output;
        }).ToArray();

        var actual = new float[4][];
        Parallel.For(0, 4, i =>
        {
            using var session = model.CreateSession();
            actual[i] = new float[10];
            for (var repeat = 0; repeat < 5; repeat++)
            {
                session.Run(inputs[i], actual[i]);
            }
        });

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [Fact]
    public void MemoryLimitIsEnforced()
    {
        var model = OnnxModel.Load(SmallClassifier(), new EngineOptions { MaxTotalElements = 10_000 });
        var error = Assert.Throws<ConvServiceException>(() => model.CreateSession(50));
        Assert.Equal(ErrorKind.OverLimit, error.Kind);
    }

    [Fact]
    public void BatchOutsideTheLimitIsABadRequest()
    {
        var model = OnnxModel.Load(SmallClassifier());
        Assert.Equal(ErrorKind.InvalidInput, Assert.Throws<ConvServiceException>(() => model.CreateSession(0)).Kind);
    }

    [Fact]
    public void SeveralInputsAreWrittenByNameAndEveryOutputIsRead()
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("a", [1, 3], "N");
        var y = b.Input("b", [1, 3], "N");
        b.Output(b.Node("Add", "sum", [x, y], [1, 3]));
        b.Output(b.Node("Mul", "product", [x, y], [1, 3]));
        var model = OnnxModel.Load(b.ToBytes());
        Assert.Equal(["a", "b"], model.Inputs.Select(i => i.Name));
        Assert.Equal(["sum", "product"], model.Outputs.Select(o => o.Name));

        using var session = model.CreateSession([[2, 3], [2, 3]]);
        float[] a = [1, 2, 3, 4, 5, 6], c = [10, 20, 30, 40, 50, 60];
        a.CopyTo(session.Input("a"));
        c.CopyTo(session.Input("b"));
        session.Run();
        Assert.Equal([11f, 22, 33, 44, 55, 66], session.Output("sum").ToArray());
        Assert.Equal([10f, 40, 90, 160, 250, 360], session.Output("product").ToArray());
        Assert.Equal(ErrorKind.InvalidInput, Assert.Throws<ConvServiceException>(() => session.Run(a)).Kind);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<ConvServiceException>(() => session.Input("c")).Kind);
    }
}
