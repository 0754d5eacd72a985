using ConvService.Inference.Engine;
using ConvService.Inference.Errors;
using ConvService.Inference.Onnx;

namespace ConvService.Inference.Tests.TestSupport;

/// <summary>
/// For fuzz tests over damaged model files: a damaged model must either be refused with the engine's own error or
/// load and run to the end with outputs of the shapes it announced. Each whole fuzz loop runs under a time limit,
/// so a hang fails the test instead of stalling the run.
/// </summary>
internal static class MutatedModels
{
    /// <summary>Generous: the loops take well under a second each; the bound only exists to turn a hang into a failure.</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromMinutes(2);

    public enum Outcome
    {
        RefusedAtLoad,
        RefusedAtRun,
        Ran,
    }

    /// <summary>Runs <paramref name="body"/> on the thread pool and fails with a <see cref="TimeoutException"/> if it does not finish in time.</summary>
    public static async Task WithinHangLimitAsync(Action body) => await Task.Run(body).WaitAsync(HangLimit);

    /// <summary>Loads <paramref name="bytes"/>, and when that works runs the model once on seeded values.</summary>
    public static Outcome LoadAndRun(byte[] bytes, int seed)
    {
        CompiledModel model;
        try
        {
            model = OnnxModel.Load(bytes);
        }
        catch (ConvServiceException error)
        {
            Assert.Equal(ErrorKind.DoesNotFit, error.Kind);
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            return Outcome.RefusedAtLoad;
        }

        try
        {
            using var session = model.CreateSession();
            var random = new Random(seed);
            foreach (var input in session.Inputs)
            {
                var values = session.Input(input.Name);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)(random.NextDouble() * 2 - 1);
                }
            }

            session.Run();
            foreach (var output in session.Outputs)
            {
                Assert.Equal(output.Shape.Aggregate(1, (p, d) => p * d), session.Output(output.Name).Length);
            }

            return Outcome.Ran;
        }
        catch (ConvServiceException error)
        {
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            return Outcome.RefusedAtRun;
        }
    }
}
