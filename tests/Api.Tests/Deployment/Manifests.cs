using YamlDotNet.RepresentationModel;

namespace ConvService.Api.Tests.Deployment;

/// <summary>The repository's deployment files (Dockerfile, compose, Kubernetes, KServe), found from the test's folder.</summary>
public static class Manifests
{
    public static string Root { get; } = FindRoot();

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    /// <summary>Every YAML document of a file, as mappings.</summary>
    public static IReadOnlyList<YamlMappingNode> Documents(string relativePath)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Read(relativePath));
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToArray();
    }

    /// <summary>Follows a path of keys and list indexes ("spec", "template", "containers", "0", ...).</summary>
    public static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var step in path)
        {
            node = node switch
            {
                YamlMappingNode map => map.Children[new YamlScalarNode(step)],
                YamlSequenceNode list => list.Children[int.Parse(step, System.Globalization.CultureInfo.InvariantCulture)],
                _ => throw new InvalidOperationException($"'{step}' is under a scalar"),
            };
        }

        return node;
    }

    public static string Text(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value ?? "";

    public static bool Has(YamlNode node, params string[] path)
    {
        try
        {
            At(node, path);
            return true;
        }
        catch (Exception e) when (e is KeyNotFoundException or ArgumentOutOfRangeException or InvalidCastException)
        {
            return false;
        }
    }

    /// <summary>An ENV value from the Dockerfile's runtime stage.</summary>
    public static string DockerfileEnv(string name)
    {
        var dockerfile = Read("Dockerfile");
        var match = System.Text.RegularExpressions.Regex.Match(dockerfile, $@"\b{name}=(\S+)");
        Assert.True(match.Success, $"Dockerfile sets no {name}");
        return match.Groups[1].Value;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConvService.sln")) && File.Exists(Path.Combine(dir.FullName, "Dockerfile")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (ConvService.sln and Dockerfile) is not above the test folder.");
    }
}
