using BenchmarkDotNet.Running;
using ConvService.Bench.Classifiers;
using ConvService.Bench.Engine;
using ConvService.Bench.Kernels;
using ConvService.Bench.Serving;
using ConvService.Inference.Kernels.Conv;

// Modes, one per line:
// "--filter-paths" runs each width-generic filter loop once (to read its machine code);
// "--operator-paths" the same for the reduction, pairwise and pooling loops;
// "--filter-ab <dir>" this build's image filters against another build's, interleaved in one process;
// "--resize-paths" the same for the resize row gather;
// "--kernel-probe" times single conv layers quickly;
// "--network-probe" ResNet-18 against ONNX Runtime with a per-step profile;
// "--operator-probe" the math and spatial operators interleaved with ONNX Runtime;
// "--pair-probe" one layer's two-thread scaling;
// "--fma-peak" the FMA throughput at each width;
// "--classifier-probe" the measurements of docs/classifiers.md;
// "--embed-probe" an embed request stage by stage;
// "--png-probe" PngWriter's default level against the zlib-ng-only writer it replaced, interleaved;
// "--png-e2e <script>" PNG in, PNG out alternating in rounds with OpenCV's (bench/Images/opencv_image_response.py);
// "serving" runs the HTTP load test against the real service;
// "reliability" the mixed-load, soak and SIGTERM runs of docs/reliability.md;
// anything else goes to BenchmarkDotNet.
if (args is ["--kernel-probe", .. var probeArgs])
{
    KernelProbe.Run(probeArgs);
    return 0;
}

if (args is ["--fma-peak", .. var peakArgs])
{
    FmaPeakProbe.Run(peakArgs);
    return 0;
}

if (args is ["--network-probe", .. var networkArgs])
{
    NetworkProbe.Run(networkArgs);
    return 0;
}

if (args is ["--operator-probe", .. var operatorArgs])
{
    OperatorProbe.Run(operatorArgs);
    return 0;
}

if (args is ["--pair-probe", var pairLayer, .. var pairRest])
{
    PairProbe.Run(pairLayer, pairRest.Length > 0 ? Enum.Parse<ConvAlgorithm>(pairRest[0]) : null);
    return 0;
}

if (args is ["--resize-paths"])
{
    ResizePaths.Run();
    return 0;
}

if (args is ["--filter-paths"])
{
    ConvService.Bench.Filters.FilterPaths.Run();
    return 0;
}

if (args is ["--filter-ab", var otherBuild, .. var abRest])
{
    ConvService.Bench.Filters.FilterAbProbe.Run(
        otherBuild, abRest.Length > 0 ? int.Parse(abRest[0]) : 11, abRest.Length > 1 ? int.Parse(abRest[1]) : 1, abRest.Length > 2 ? abRest[2] : null);
    return 0;
}

if (args is ["--operator-paths"])
{
    OperatorPaths.Run();
    return 0;
}

if (args is ["--classifier-probe", .. var classifierArgs])
{
    ClassifierProbe.Run(classifierArgs);
    return 0;
}

if (args is ["--embed-probe", .. var embedArgs])
{
    await EmbedProbe.RunAsync(embedArgs);
    return 0;
}

if (args is ["--png-probe", .. var pngArgs])
{
    ConvService.Bench.Images.PngEncodeProbe.Run(pngArgs);
    return 0;
}

if (args is ["--png-e2e", var openCvScript, .. var e2eArgs])
{
    ConvService.Bench.Images.PngEncodeProbe.RunAgainstOpenCv(
        openCvScript, e2eArgs.Length > 0 ? int.Parse(e2eArgs[0]) : 5, e2eArgs.Length > 1 ? int.Parse(e2eArgs[1]) : 15);
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
