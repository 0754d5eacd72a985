using ConvService.Inference.Engine;
using ConvService.Inference.Onnx;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Engine;

/// <summary>A session's threads change how many cores a run uses, never its answer: the work is split as planned.</summary>
public sealed class SessionThreadsTests
{
    public static TheoryData<string> Networks => ["resnet50-quarter", "alexnet-quarter", "googlenet-quarter"];

    private static byte[] Network(string name) => name switch
    {
        "resnet50-quarter" => NetworkZoo.ResNet50Quarter(batch: 2),
        "alexnet-quarter" => NetworkZoo.AlexNetQuarter(batch: 2),
        _ => NetworkZoo.GoogLeNetQuarter(batch: 2),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void EveryThreadCountGivesTheSameBits(string name)
    {
        var bytes = Network(name);
        var model = OnnxModel.Load(bytes, new EngineOptions { DegreeOfParallelism = 3 });
        using var session = model.CreateSession(2);
        var input = Accuracy.Random(session.Input(session.Inputs[0].Name).Length, seed: 21);
        var outputs = new List<float[]>();
        foreach (var threads in new[] { 3, 1, 2, 3 })
        {
            session.Threads = threads;
            Assert.Equal(threads, session.Threads);
            session.Run(input);
            outputs.Add(session.Output(session.Outputs[0].Name).ToArray());
        }

        Assert.All(outputs.Skip(1), output => Assert.Equal(outputs[0], output));

        // Against the plan that never splits, only the order of a few sums may differ.
        var single = EngineRunner.Run(bytes, input, 2);
        Accuracy.AssertClose(single, outputs[0], 1e-5);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-2, 1)]
    [InlineData(9, 3)]
    public void ThreadsStayWithinOneAndThePlannedDegree(int asked, int expected)
    {
        var model = OnnxModel.Load(NetworkZoo.LeNet5(), new EngineOptions { DegreeOfParallelism = 3 });
        using var session = model.CreateSession();
        Assert.Equal(3, session.Threads);
        Assert.Equal(3, session.DegreeOfParallelism);
        session.Threads = asked;
        Assert.Equal(expected, session.Threads);
    }
}
