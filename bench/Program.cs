using BenchmarkDotNet.Running;
using ConvService.Bench.Engine;
using ConvService.Bench.Kernels;
using ConvService.Bench.Serving;

// "--kernel-probe" times single conv layers quickly; "serving" runs the HTTP load test against the real service;
// anything else goes to BenchmarkDotNet.
if (args is ["--kernel-probe", .. var probeArgs])
{
    KernelProbe.Run(probeArgs);
    return 0;
}

if (args is ["--network-probe", .. var networkArgs])
{
    NetworkProbe.Run(networkArgs);
    return 0;
}

if (args is ["serving", .. var servingArgs])
{
    return await ServingLoadTest.RunAsync(servingArgs);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
