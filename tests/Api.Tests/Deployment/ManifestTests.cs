using System.Net;
using ConvService.Api.Tests.Support;
using YamlDotNet.RepresentationModel;
using static ConvService.Api.Tests.Deployment.Manifests;

namespace ConvService.Api.Tests.Deployment;

/// <summary>
/// The deployment files agree with the app: the port the image listens on, the paths the probes call (asked of
/// the real service), the image's user and the model repository's mount path.
/// </summary>
public sealed class ManifestTests
{
    private const string ImageUser = "1654";

    private static string Port => DockerfileEnv("ASPNETCORE_HTTP_PORTS");

    private static string ModelsPath => DockerfileEnv("ConvService__Models__Path");

    [Fact]
    public void TheImageListensOn8080AndServesModelsFromSlashModels()
    {
        Assert.Equal("8080", Port);
        Assert.Equal("/models", ModelsPath);
        Assert.Contains("USER app", Read("Dockerfile"), StringComparison.Ordinal);
        Assert.Contains("--uid 1654", Read("deploy/offline-base-images.sh"), StringComparison.Ordinal);
        Assert.DoesNotContain("\"Urls\"", Read("src/Api/appsettings.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheKubernetesDeploymentMatchesTheApp()
    {
        var deployment = Single("deploy/kubernetes/deployment.yaml", "Deployment");
        var pod = At(deployment, "spec", "template", "spec");
        var container = At(pod, "containers", "0");

        Assert.Equal(Port, Text(container, "ports", "0", "containerPort"));
        var portName = Text(container, "ports", "0", "name");
        Assert.Equal(Port, Env(container, "ASPNETCORE_HTTP_PORTS"));
        Assert.Equal(ModelsPath, Env(container, "ConvService__Models__Path"));

        var probes = new[] { "startupProbe", "livenessProbe", "readinessProbe" };
        foreach (var probe in probes)
        {
            Assert.Equal(portName, Text(container, probe, "httpGet", "port"));
        }

        await AssertAppAnswers(probes.Select(p => Text(container, p, "httpGet", "path")));

        Assert.Equal("true", Text(pod, "securityContext", "runAsNonRoot"));
        Assert.Equal(ImageUser, Text(pod, "securityContext", "runAsUser"));
        Assert.Equal("true", Text(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", Text(container, "securityContext", "allowPrivilegeEscalation"));
        Assert.True(Has(container, "resources", "requests", "cpu") && Has(container, "resources", "limits", "memory"));

        var mounts = MountsByVolume(container);
        Assert.Equal(ModelsPath, mounts["models"]);
        Assert.Equal("/tmp", mounts["tmp"]);
        var claim = Text(VolumeNamed(pod, "models"), "persistentVolumeClaim", "claimName");
        var pvc = Single("deploy/kubernetes/models-pvc.yaml", "PersistentVolumeClaim");
        Assert.Equal(claim, Text(pvc, "metadata", "name"));
        Assert.Equal("ReadWriteMany", Text(pvc, "spec", "accessModes", "0"));
    }

    [Fact]
    public void TheServiceAutoscalerAndDisruptionBudgetSelectTheDeployment()
    {
        var deployment = Single("deploy/kubernetes/deployment.yaml", "Deployment");
        var labels = (YamlMappingNode)At(deployment, "spec", "template", "metadata", "labels");
        var name = Text(deployment, "metadata", "name");

        var service = Single("deploy/kubernetes/service.yaml", "Service");
        AssertSelects(labels, (YamlMappingNode)At(service, "spec", "selector"));
        var portName = Text(At(deployment, "spec", "template", "spec", "containers", "0"), "ports", "0", "name");
        Assert.Equal(portName, Text(service, "spec", "ports", "0", "targetPort"));

        var pdb = Single("deploy/kubernetes/pdb.yaml", "PodDisruptionBudget");
        AssertSelects(labels, (YamlMappingNode)At(pdb, "spec", "selector", "matchLabels"));

        var hpa = Single("deploy/kubernetes/hpa.yaml", "HorizontalPodAutoscaler");
        Assert.Equal("Deployment", Text(hpa, "spec", "scaleTargetRef", "kind"));
        Assert.Equal(name, Text(hpa, "spec", "scaleTargetRef", "name"));
        Assert.Equal("cpu", Text(hpa, "spec", "metrics", "0", "resource", "name"));

        var kustomization = Single("deploy/kubernetes/kustomization.yaml", "Kustomization");
        var listed = ((YamlSequenceNode)At(kustomization, "resources")).Children.Select(n => ((YamlScalarNode)n).Value).ToHashSet();
        var files = Directory.GetFiles(Path.Combine(Root, "deploy/kubernetes"), "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml");
        Assert.All(files, f => Assert.Contains(f, listed));
    }

    [Fact]
    public async Task TheKServePredictorSpeaksV2OnTheAppsPort()
    {
        var service = Single("deploy/kserve/inferenceservice.yaml", "InferenceService");
        Assert.StartsWith("serving.kserve.io/", Text(service, "apiVersion"), StringComparison.Ordinal);
        var predictor = At(service, "spec", "predictor");
        var container = At(predictor, "containers", "0");

        Assert.Equal("kserve-container", Text(container, "name"));
        Assert.Equal(Port, Text(container, "ports", "0", "containerPort"));
        Assert.Equal(Port, Text(container, "readinessProbe", "httpGet", "port"));
        Assert.Equal(Port, Env(container, "ASPNETCORE_HTTP_PORTS"));
        Assert.Equal(ModelsPath, Env(container, "ConvService__Models__Path"));
        Assert.Equal(ModelsPath, MountsByVolume(container)["models"]);
        Assert.Equal(ImageUser, Text(predictor, "securityContext", "runAsUser"));
        Assert.Equal("true", Text(container, "securityContext", "readOnlyRootFilesystem"));

        var paths = new[] { Text(container, "readinessProbe", "httpGet", "path"), Text(container, "livenessProbe", "httpGet", "path") };
        Assert.All(paths, p => Assert.StartsWith("/v2/", p, StringComparison.Ordinal));
        await AssertAppAnswers(paths);
    }

    [Fact]
    public void ComposeSharesTheModelsAndPutsNginxInFront()
    {
        var compose = Documents("docker-compose.yml")[0];
        var app = At(compose, "services", "convservice");
        Assert.Equal(Port, Text(app, "environment", "ASPNETCORE_HTTP_PORTS"));
        Assert.EndsWith(":" + ModelsPath, Text(app, "volumes", "0"), StringComparison.Ordinal);
        Assert.Contains("./models", Text(app, "volumes", "0"), StringComparison.Ordinal);
        Assert.False(Has(app, "ports"), "a fixed host port stops --scale");

        foreach (var name in new[] { "convservice", "nginx" })
        {
            var service = At(compose, "services", name);
            Assert.True(Has(service, "healthcheck", "test"), $"{name} has no healthcheck");
            Assert.True(Has(service, "restart"), $"{name} has no restart policy");
            Assert.True(Has(service, "mem_limit"), $"{name} has no memory limit");
        }

        var nginx = At(compose, "services", "nginx");
        Assert.EndsWith(":80", Text(nginx, "ports", "0"), StringComparison.Ordinal);
        Assert.Contains("5000", Text(nginx, "ports", "0"), StringComparison.Ordinal);
        var mounted = Text(nginx, "volumes", "0").Split(':')[0];
        var config = Read(mounted);
        Assert.Contains($"http://convservice:{Port}", config, StringComparison.Ordinal);
    }

    private static YamlMappingNode Single(string path, string kind) =>
        Assert.Single(Documents(path), d => Text(d, "kind") == kind);

    private static string Env(YamlNode container, string name) =>
        Text(((YamlSequenceNode)At(container, "env")).Children.Single(e => Text(e, "name") == name), "value");

    private static Dictionary<string, string> MountsByVolume(YamlNode container) =>
        ((YamlSequenceNode)At(container, "volumeMounts")).Children.ToDictionary(m => Text(m, "name"), m => Text(m, "mountPath"));

    private static YamlNode VolumeNamed(YamlNode pod, string name) =>
        ((YamlSequenceNode)At(pod, "volumes")).Children.Single(v => Text(v, "name") == name);

    private static void AssertSelects(YamlMappingNode podLabels, YamlMappingNode selector)
    {
        foreach (var (key, value) in selector.Children)
        {
            Assert.Equal(((YamlScalarNode)value).Value, ((YamlScalarNode)podLabels.Children[key]).Value);
        }
    }

    private static async Task AssertAppAnswers(IEnumerable<string> paths)
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        foreach (var path in paths)
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
        }
    }
}
