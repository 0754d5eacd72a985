using ConvService.Fuzz;
using ConvService.Fuzz.Targets;
using SharpFuzz;

// One harness per input the service parses from strangers. Under afl-fuzz each runs in persistent mode; with
// --replay it runs the files of a folder once each (triage without AFL), printing any exception that escapes.
var targets = new Dictionary<string, Action<byte[]>>
{
    ["image"] = ImageIntakeTarget.Run,
    ["onnx"] = OnnxImportTarget.Run,
    ["spec"] = NetworkSpecTarget.Run,
    ["v2"] = InferRequestTarget.Run,
};

if (args is ["seeds", var folder])
{
    return Seeds.Write(folder);
}

if (args.Length == 0 || !targets.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: ConvService.Fuzz <{string.Join('|', targets.Keys)}> [--replay <folder or file>] | seeds <folder>");
    return 2;
}

if (args.Length == 3 && args[1] == "--replay")
{
    return Replay.Run(target, args[2]);
}

Fuzzer.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    target(copy.ToArray());
});
return 0;
