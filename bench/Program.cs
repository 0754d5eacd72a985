using BenchmarkDotNet.Running;
using ConvService.Bench.Kernels;

if (args is ["--kernel-probe", .. var probeArgs])
{
    KernelProbe.Run(probeArgs);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
