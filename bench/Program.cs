using BenchmarkDotNet.Running;
using ConvService.Bench.Serving;

// "serving" runs the HTTP load test against the real service; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "serving")
{
    return await ServingLoadTest.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
