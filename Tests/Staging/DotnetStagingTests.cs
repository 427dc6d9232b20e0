using Granary.Silo.Staging;
using Granary.Staging;

namespace Granary.Tests.Staging;

/// <summary>A real dotnet publish: a minute or so cold, so it carries the Slow category.</summary>
public sealed class DotnetStagingTests : IDisposable
{
    private readonly StagingSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    [Trait("Category", "Slow")]
    public async Task StageAsync_DotnetHello_DropletIsPublishOutputAndAnswers()
    {
        var appId = Guid.NewGuid();
        var package = await _sandbox.Packages.SaveAsync(
            new MemoryStream(TestArchives.TarGzOfFolder(TestArchives.Sample("dotnet-hello"))), null, CancellationToken.None);
        Assert.Equal("dotnet", package.Framework);

        var outcome = await _sandbox.Stager().StageAsync(new StagingJob(appId, "hello", "dotnet1", package.PackageId, null), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Error + "\n" + string.Join('\n', _sandbox.Logs.Texts));
        Assert.Equal("dotnet dotnet-hello.dll", outcome.Droplet!.StartCommand);
        Assert.Contains("-----> Running: dotnet publish dotnet-hello.csproj -c Release -o ../publish --nologo", _sandbox.Logs.Texts);
        var root = Path.Combine(_sandbox.Root, "run");
        await DropletArchive.ExtractAsync(
            await _sandbox.Droplets().GetLocalPathAsync(outcome.Droplet.Hash, CancellationToken.None), root, CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(root, "dotnet-hello.dll")));
        Assert.True(File.Exists(Path.Combine(root, ".granary", "droplet.json")));
        Assert.False(File.Exists(Path.Combine(root, "Program.cs")), "the droplet should hold only the publish output");

        await using var app = await RunningDroplet.StartAsync(root, outcome.Droplet.StartCommand, instanceIndex: 1);
        Assert.Contains("instance 1", await app.Client.GetStringAsync("/"));
    }
}
