namespace ConvService.Inference.Tests.Conformance;

/// <summary>
/// Where ONNX's backend test suite is installed (Debian's libonnx-testdata, ONNX 1.12) and which of its folders
/// the conformance test reads. Each case is a folder with model.onnx and test_data_set_0/{input,output}_N.pb.
/// </summary>
internal static class ConformanceSuite
{
    public const string Root = "/usr/share/libonnx-testdata/data";

    /// <summary>"real" is left out: its cases are only links to model-zoo downloads.</summary>
    public static readonly string[] Folders = ["node", "pytorch-converted", "pytorch-operator", "simple"];

    public static bool IsInstalled => Folders.All(f => Directory.Exists(Path.Combine(Root, f)));

    /// <summary>Every case folder, named "folder/case", in a stable order.</summary>
    public static IEnumerable<(string Name, string Directory)> CaseDirectories() =>
        from folder in Folders
        from directory in Directory.GetDirectories(Path.Combine(Root, folder)).Order(StringComparer.Ordinal)
        select ($"{folder}/{Path.GetFileName(directory)}", directory);
}
