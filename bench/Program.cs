using BenchmarkDotNet.Running;
using ConvService.Bench.Engine;
using ConvService.Bench.Kernels;
using ConvService.Bench.Serving;
using ConvService.Inference.Kernels.Conv;

// "--kernel-probe" times single conv layers quickly, "--network-probe" ResNet-18 against ONNX Runtime with a per-step
// profile, "--pair-probe" one layer's two-thread scaling; "serving" runs the HTTP load test against the real service;
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

if (args is ["--pair-probe", var pairLayer, .. var pairRest])
{
    PairProbe.Run(pairLayer, pairRest.Length > 0 ? Enum.Parse<ConvAlgorithm>(pairRest[0]) : null);
    return 0;
}

if (args is ["reliability", .. var reliabilityArgs])
{
    return await ConvService.Bench.Reliability.ReliabilityRun.RunAsync(reliabilityArgs);
}

if (args is ["serving", .. var servingArgs])
{
    return await ServingLoadTest.RunAsync(servingArgs);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
