using Granary.Cli;
using Granary.Cli.Api;
using Granary.Cli.Push;

namespace Granary.Tests.Cli;

public class PushPlanTests
{
    [Fact]
    public void Create_FolderWithoutManifest_UsesFolderNameAndNoSettings()
    {
        using var dir = new TempDir();
        var app = dir.Dir("My_App");
        File.WriteAllText(Path.Combine(app, "index.js"), "");

        var plan = PushPlan.Create(new PushFlags(Path: app), dir.Path);

        Assert.Equal("my-app", plan.Name);
        Assert.False(plan.Source.IsArchive);
        Assert.Null(plan.Instances);
        Assert.Null(plan.MemoryMb);
        Assert.Null(plan.Note);
    }

    [Fact]
    public void Create_ManifestInFolder_FlagsOverrideIt()
    {
        using var dir = new TempDir();
        dir.File("manifest.yml", "applications:\n- name: web\n  instances: 2\n  memory: 256M\n  command: ./run\n  env: {A: '1'}\n");

        var plan = PushPlan.Create(new PushFlags(Instances: 4, Command: "./other"), dir.Path);

        Assert.Equal("web", plan.Name);
        Assert.Equal(4, plan.Instances);
        Assert.Equal(256, plan.MemoryMb);
        Assert.Equal("./other", plan.Command);
        Assert.Equal("1", plan.Env!["A"]);
    }

    [Fact]
    public void Create_ManifestPath_IsRelativeToTheManifest()
    {
        using var dir = new TempDir();
        dir.File("deploy/manifest.yml", "applications:\n- name: web\n  path: ../src\n");
        dir.File("src/app.py", "");

        var plan = PushPlan.Create(new PushFlags(ManifestPath: "deploy/manifest.yml"), dir.Path);

        Assert.Equal(Path.Combine(dir.Path, "src"), plan.Source.Path);
    }

    [Fact]
    public void Create_MissingExplicitManifest_Fails()
    {
        using var dir = new TempDir();

        var error = Assert.Throws<CliException>(() => PushPlan.Create(new PushFlags(ManifestPath: "nope.yml"), dir.Path));

        Assert.Contains("nope.yml", error.Message);
    }

    [Theory]
    [InlineData("app.tar.gz", "application/gzip")]
    [InlineData("app.tgz", "application/gzip")]
    [InlineData("APP.ZIP", "application/zip")]
    public void Create_ArchivePath_IsUploadedAsIs(string file, string contentType)
    {
        using var dir = new TempDir();
        var archive = dir.File(file, "x");

        var plan = PushPlan.Create(new PushFlags(Path: archive), dir.Path);

        Assert.True(plan.Source.IsArchive);
        Assert.Equal(contentType, plan.Source.ContentType);
        Assert.Equal("app", plan.Name);
    }

    [Fact]
    public void Create_PlainFile_IsRefused()
    {
        using var dir = new TempDir();
        var file = dir.File("notes.txt", "x");

        var error = Assert.Throws<CliException>(() => PushPlan.Create(new PushFlags(Path: file), dir.Path));

        Assert.Contains(".tar.gz", error.Message);
    }

    [Fact]
    public void Create_MissingPath_Fails()
    {
        using var dir = new TempDir();

        Assert.Throws<CliException>(() => PushPlan.Create(new PushFlags(Path: "missing"), dir.Path));
    }

    [Fact]
    public void Merge_ManifestRoutes_ArePlannedWithoutANote()
    {
        var app = new ManifestApp(Name: "web", Routes: ["web.example.com", "www.example.com"]);

        var plan = PushPlan.Merge(new PushFlags(), app, new PushSource("/tmp/web", false));

        Assert.Equal(["web.example.com", "www.example.com"], plan.Routes!);
        Assert.Null(plan.Note);
    }

    [Fact]
    public void Merge_ManifestServices_AreKeptForBindingOnPush()
    {
        var app = new ManifestApp(Name: "web", Routes: ["web.example.com"], Services: ["db"]);

        var plan = PushPlan.Merge(new PushFlags(), app, new PushSource("/tmp/web", false));

        Assert.Null(plan.Note);
        Assert.Equal(["db"], plan.Services!);
        Assert.Equal(["web.example.com"], plan.Routes!);
    }

    [Theory]
    [InlineData("Web")]
    [InlineData("9lives")]
    [InlineData("web-")]
    [InlineData("web_app")]
    public void Merge_InvalidName_IsUsageError(string name)
    {
        var error = Assert.Throws<UsageException>(() => PushPlan.Merge(new PushFlags(Name: name), null, new PushSource("/tmp/x", false)));

        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void PushChanges_ExistingApp_PatchesOnlyWhatDiffersAndMergesEnv()
    {
        var existing = TestApps.App("web", instances: 1, memoryMb: 256, env: new() { ["KEPT"] = "1", ["A"] = "old" });
        var plan = new PushPlan("web", new PushSource("/x", false), 1, 512, null,
            new Dictionary<string, string> { ["A"] = "new" }, null);

        var patch = PushChanges.For(existing, plan);

        Assert.Null(patch.Instances);
        Assert.Equal(512, patch.MemoryMb);
        Assert.Null(patch.Command);
        Assert.Equal(new Dictionary<string, string> { ["KEPT"] = "1", ["A"] = "new" }, patch.Env);
    }

    [Fact]
    public void PushChanges_NothingGiven_IsEmpty()
    {
        var existing = TestApps.App("web", env: new() { ["A"] = "1" });
        var plan = new PushPlan("web", new PushSource("/x", false), null, null, null,
            new Dictionary<string, string> { ["A"] = "1" }, null);

        Assert.True(PushChanges.For(existing, plan).IsEmpty);
    }
}
