using System.Text.Json;
using Granary.Logs;
using Granary.Silo.Staging;
using Granary.Staging;

namespace Granary.Tests.Staging;

public sealed class StagerTests : IDisposable
{
    private readonly StagingSandbox _sandbox = new();
    private readonly Guid _appId = Guid.NewGuid();

    public void Dispose() => _sandbox.Dispose();

    private async Task<StagingOutcome> StageFolderAsync(string folder, string? command = null)
    {
        var package = await _sandbox.Packages.SaveAsync(new MemoryStream(TestArchives.TarGzOfFolder(folder)), command, CancellationToken.None);
        return await StageAsync(package.PackageId, command);
    }

    private Task<StagingOutcome> StageAsync(string packageId, string? command = null) =>
        _sandbox.Stager().StageAsync(new StagingJob(_appId, "test-app", "b" + Guid.NewGuid().ToString("N")[..8], packageId, command), CancellationToken.None);

    private async Task<string> UnpackAsync(DropletRef droplet)
    {
        var archive = await _sandbox.Droplets().GetLocalPathAsync(droplet.Hash, CancellationToken.None);
        var destination = Path.Combine(_sandbox.Root, "run-" + droplet.Hash[..8]);
        await DropletArchive.ExtractAsync(archive, destination, CancellationToken.None);
        return destination;
    }

    private string AppFolder(params (string Path, string Text)[] files)
    {
        var folder = _sandbox.Folder("app-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
            File.WriteAllText(Path.Combine(folder, path), text);
        }

        return folder;
    }

    private void AssertWorkFolderRemoved() =>
        Assert.Empty(Directory.Exists(_sandbox.Options.WorkDirectory) ? Directory.GetFileSystemEntries(_sandbox.Options.WorkDirectory) : []);

    [Fact]
    public async Task StageAsync_NodeHello_DropletStartsWithTheStartScriptAndAnswers()
    {
        var outcome = await StageFolderAsync(TestArchives.Sample("node-hello"));

        Assert.True(outcome.Succeeded, outcome.Error);
        var droplet = outcome.Droplet!;
        Assert.Equal(("node", "node server.js"), (droplet.Framework, droplet.StartCommand));
        Assert.Contains("-----> Detected framework: node", _sandbox.Logs.Texts);
        Assert.All(_sandbox.Logs.Lines, line => Assert.Equal(("STG", _appId), (line.Source, line.AppId)));

        var root = await UnpackAsync(droplet);
        Assert.True(File.Exists(Path.Combine(root, "server.js")));
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, ".granary", "droplet.json")));
        Assert.Equal("node", manifest.RootElement.GetProperty("framework").GetString());
        Assert.Equal("node server.js", manifest.RootElement.GetProperty("startCommand").GetString());
        Assert.Equal(droplet.StagedAt, manifest.RootElement.GetProperty("stagedAt").GetDateTimeOffset());
        AssertWorkFolderRemoved();

        await using var app = await RunningDroplet.StartAsync(root, droplet.StartCommand, instanceIndex: 3);
        Assert.Contains("instance 3", await app.Client.GetStringAsync("/"));
    }

    [Fact]
    public async Task StageAsync_StaticSite_ServedWithTypesAndNoDotfiles()
    {
        var outcome = await StageFolderAsync(TestArchives.Sample("static-site"));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("static", outcome.Droplet!.Framework);
        Assert.Contains("-----> Detected framework: static", _sandbox.Logs.Texts);
        var root = await UnpackAsync(outcome.Droplet);
        Assert.True(File.Exists(Path.Combine(root, ".granary", "static_server.py")));
        Assert.True(File.Exists(Path.Combine(root, ".granary", "droplet.json")));
        AssertWorkFolderRemoved();

        await using var app = await RunningDroplet.StartAsync(root, outcome.Droplet.StartCommand);
        var index = await app.Client.GetAsync("/");
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.Contains("static site on Granary", await index.Content.ReadAsStringAsync());
        var css = await app.Client.GetAsync("/style.css");
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await app.Client.GetAsync("/.granary/droplet.json")).StatusCode);
    }

    [Fact]
    public async Task StageAsync_PythonHello_AnswersWithInstanceIndex()
    {
        var outcome = await StageFolderAsync(TestArchives.Sample("python-hello"));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(("python", "python3 app.py"), (outcome.Droplet!.Framework, outcome.Droplet.StartCommand));
        await using var app = await RunningDroplet.StartAsync(await UnpackAsync(outcome.Droplet), outcome.Droplet.StartCommand, instanceIndex: 2);
        Assert.Contains("instance 2", await app.Client.GetStringAsync("/"));
    }

    [Fact]
    public async Task StageAsync_NodeAppWithLocalDependency_InstalledIntoDroplet()
    {
        var folder = AppFolder(
            ("package.json", """{ "name": "a", "version": "1.0.0", "scripts": { "start": "node server.js" }, "dependencies": { "greeter": "file:./greeter" } }"""),
            ("server.js", "console.log(require('greeter'))"),
            ("greeter/package.json", """{ "name": "greeter", "version": "1.0.0", "main": "index.js" }"""),
            ("greeter/index.js", "module.exports = 'hello';"));

        var outcome = await StageFolderAsync(folder);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Contains(_sandbox.Logs.Texts, text => text.StartsWith("       No package-lock.json", StringComparison.Ordinal));
        Assert.Contains("-----> Running: npm install --omit=dev --no-audit --no-fund", _sandbox.Logs.Texts);
        var root = await UnpackAsync(outcome.Droplet!);
        Assert.True(Directory.Exists(Path.Combine(root, "node_modules", "greeter")));
    }

    [Fact]
    public async Task StageAsync_FailingBuildStep_ErrorNamesStepAndOutputIsLogged()
    {
        var folder = AppFolder(
            ("package.json", """{ "scripts": { "start": "node server.js", "preinstall": "echo about to fail; echo broken >&2; exit 7" }, "dependencies": { "x": "file:./x" } }"""),
            ("server.js", ""),
            ("x/package.json", """{ "name": "x", "version": "1.0.0" }"""));

        var outcome = await StageFolderAsync(folder);

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("npm install exited with code ", outcome.Error);
        Assert.Contains(_sandbox.Logs.Lines, line => line.Text.Contains("about to fail") && line.Stream == LogStream.Out);
        Assert.Contains(_sandbox.Logs.Lines, line => line.Text.Contains("broken") && line.Stream == LogStream.Err);
        Assert.Contains($"-----> Staging failed: {outcome.Error}", _sandbox.Logs.Texts);
        Assert.Empty(Directory.GetFiles(_sandbox.Options.DropletsDirectory is var d && Directory.Exists(d) ? d : _sandbox.Root, "*.tgz"));
        AssertWorkFolderRemoved();
    }

    [Fact]
    public async Task StageAsync_BuildOverTimeout_StoppedWithError()
    {
        _sandbox.Options.BuildTimeout = TimeSpan.FromSeconds(3);
        var folder = AppFolder(
            ("package.json", """{ "scripts": { "start": "node server.js", "preinstall": "echo waiting; sleep 60" }, "dependencies": { "x": "file:./x" } }"""),
            ("server.js", ""),
            ("x/package.json", """{ "name": "x", "version": "1.0.0" }"""));

        var outcome = await StageFolderAsync(folder);

        Assert.False(outcome.Succeeded);
        Assert.Contains("took longer than", outcome.Error);
        Assert.Contains("npm install", outcome.Error);
        AssertWorkFolderRemoved();
    }

    [Fact]
    public async Task StageAsync_BuildStep_SeesOnlyTheBuildEnvironment()
    {
        Environment.SetEnvironmentVariable("GRANARY_STAGING_TEST_SECRET", "hunter2");
        var folder = AppFolder(
            ("package.json", """{ "scripts": { "start": "node server.js", "preinstall": "echo secret=[$GRANARY_STAGING_TEST_SECRET] home=$HOME lang=$LANG" }, "dependencies": { "x": "file:./x" } }"""),
            ("server.js", ""),
            ("x/package.json", """{ "name": "x", "version": "1.0.0" }"""));

        var outcome = await StageFolderAsync(folder);

        Assert.True(outcome.Succeeded, outcome.Error);
        var line = Assert.Single(_sandbox.Logs.Texts, text => text.StartsWith("secret=", StringComparison.Ordinal));
        Assert.StartsWith($"secret=[] home={Path.GetFullPath(_sandbox.Options.WorkDirectory)}/", line);
        Assert.EndsWith("lang=C.UTF-8", line);
    }

    [Fact]
    public async Task StageAsync_WsgiApp_ServedByGranaryWsgiServer()
    {
        var folder = AppFolder(("wsgi.py", """
            def application(environ, start_response):
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [b"wsgi says hi from " + environ["PATH_INFO"].encode()]
            """));

        var outcome = await StageFolderAsync(folder);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("python3 .granary/wsgi_server.py", outcome.Droplet!.StartCommand);
        await using var app = await RunningDroplet.StartAsync(await UnpackAsync(outcome.Droplet), outcome.Droplet.StartCommand);
        Assert.Equal("wsgi says hi from /x", await app.Client.GetStringAsync("/x"));
    }

    [Fact]
    public async Task StageAsync_ExplicitCommand_UsedAsStartCommand()
    {
        var folder = AppFolder(("run.sh", "echo hi"));

        var outcome = await StageFolderAsync(folder, command: "sh run.sh");

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(("command", "sh run.sh"), (outcome.Droplet!.Framework, outcome.Droplet.StartCommand));
    }

    [Fact]
    public async Task StageAsync_UnknownPackage_OutcomeErrorNotException()
    {
        var outcome = await StageAsync(new string('0', 64));

        Assert.False(outcome.Succeeded);
        Assert.Contains("not stored", outcome.Error);
        AssertWorkFolderRemoved();
    }

    [Fact]
    public async Task StageAsync_UploadedGranaryFolder_ReplacedByGranarysOwn()
    {
        var folder = AppFolder(("app.py", "print('hi')"), (".granary/droplet.json", """{ "startCommand": "rm -rf /" }"""));

        var outcome = await StageFolderAsync(folder);

        Assert.True(outcome.Succeeded, outcome.Error);
        var root = await UnpackAsync(outcome.Droplet!);
        Assert.Contains("python3 app.py", await File.ReadAllTextAsync(Path.Combine(root, ".granary", "droplet.json")));
    }
}
