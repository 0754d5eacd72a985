using ConvService.Inference.Engine;
using ConvService.Inference.Onnx;
using ConvService.Inference.Serving.Execution;

namespace ConvService.Inference.Tests.Serving;

public sealed class ThreadBudgetTests
{
    [Theory]
    [InlineData(4, 1, new[] { 4 })]
    [InlineData(4, 2, new[] { 2, 2 })]
    [InlineData(4, 3, new[] { 2, 1, 1 })]
    [InlineData(4, 4, new[] { 1, 1, 1, 1 })]
    [InlineData(2, 3, new[] { 1, 1, 1 })]
    [InlineData(7, 2, new[] { 4, 3 })]
    [InlineData(1, 1, new[] { 1 })]
    public void AdaptiveRunsShareTheThreadsOldestFirst(int threads, int runs, int[] expected)
    {
        var budget = new ThreadBudget(threads);
        var shares = Enumerable.Range(0, runs).Select(i => budget.ShareOf(i, runs)).ToArray();
        Assert.Equal(expected, shares);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public void FixedRunsEachGetEveryThread(int runs)
    {
        var budget = new ThreadBudget(4, IntraOpPolicy.Fixed);
        Assert.All(Enumerable.Range(0, runs), i => Assert.Equal(4, budget.ShareOf(i, runs)));
    }

    [Fact]
    public void ABudgetNeedsAThread() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadBudget(0));

    [Fact]
    public void StartingAndEndingRunsRebalanceTheSessionsGoingOn()
    {
        var model = OnnxModel.Load(ServingModels.TinyClassifierBytes(), new EngineOptions { DegreeOfParallelism = 4 });
        using var first = model.CreateSession(1);
        using var second = model.CreateSession(1);
        var budget = new ThreadBudget(4);

        var firstRun = budget.Start(first);
        Assert.Equal(4, first.Threads);
        var secondRun = budget.Start(second);
        Assert.Equal((2, 2), (first.Threads, second.Threads));
        Assert.Equal(2, budget.Running);
        firstRun.Dispose();
        Assert.Equal(4, second.Threads);
        secondRun.Dispose();
        Assert.Equal(0, budget.Running);
    }

    [Fact]
    public void ASessionNeverGetsMoreThreadsThanItsModelWasPlannedFor()
    {
        var model = OnnxModel.Load(ServingModels.TinyClassifierBytes(), new EngineOptions { DegreeOfParallelism = 2 });
        using var session = model.CreateSession(1);
        using var run = new ThreadBudget(8).Start(session);
        Assert.Equal(2, session.Threads);
    }
}
