using ConvService.Tools.Arm64Runner;

// Runs the packaged ResNet-18 on a fixed input and writes its output, so the same program published for
// linux-arm64 (run under qemu-user) and for x86-64 can be compared: "run <output.bin> [level]" and
// "compare <a.bin> <b.bin>". .ci/arm64-check drives both.
return args switch
{
    ["run", var output] => ResNetRun.Execute(output, null),
    ["run", var output, var level] => ResNetRun.Execute(output, Enum.Parse<SimdLevel>(level, ignoreCase: true)),
    ["compare", var first, var second] => OutputComparison.Execute(first, second),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Arm64Runner run <output.bin> [Scalar|Vector128|Vector256|Vector512]");
    Console.Error.WriteLine("       Arm64Runner compare <a.bin> <b.bin>");
    return 2;
}
