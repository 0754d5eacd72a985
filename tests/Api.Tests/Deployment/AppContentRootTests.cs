using ConvService.Api.Infrastructure;

namespace ConvService.Api.Tests.Deployment;

public sealed class AppContentRootTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "convservice-root-" + Guid.NewGuid().ToString("N"));

    public AppContentRootTests() => Directory.CreateDirectory(root);

    [Fact]
    public void APublishedAppStartedElsewhereFindsItsOwnPage()
    {
        var app = Folder("app", withPage: true);
        var elsewhere = Folder("elsewhere", withPage: false);

        Assert.Equal(app, AppContentRoot.Find(elsewhere, app));
    }

    [Fact]
    public void AWorkingDirectoryWithAPageKeepsTheDefault()
    {
        var project = Folder("project", withPage: true);
        var output = Folder("bin", withPage: false);

        Assert.Null(AppContentRoot.Find(project, output));
    }

    [Fact]
    public void StartedInItsOwnFolderOrWithoutAPageKeepsTheDefault()
    {
        var app = Folder("app", withPage: true);
        Assert.Null(AppContentRoot.Find(app, app));

        var bare = Folder("bare", withPage: false);
        Assert.Null(AppContentRoot.Find(Folder("cwd", withPage: false), bare));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Folder(string name, bool withPage)
    {
        var folder = Path.Combine(root, name);
        Directory.CreateDirectory(withPage ? Path.Combine(folder, "wwwroot") : folder);
        return folder;
    }
}
