namespace Granary.Tests.Infrastructure;

/// <summary>A micro cloud of a test's own (for tests that take it down or kill it); removed on dispose.</summary>
public sealed class PrivateMicroCloud : IAsyncDisposable
{
    private PrivateMicroCloud(CliRunner cli) => Cli = cli;

    public CliRunner Cli { get; }

    public string MicroDirectory => Path.Combine(Cli.Home, "micro");

    public static async Task<PrivateMicroCloud> StartAsync(string name)
    {
        var cloud = new PrivateMicroCloud(new CliRunner(Directory.CreateTempSubdirectory($"granary-{name}-").FullName));
        var up = await cloud.Cli.RunAsync(TimeSpan.FromMinutes(10), "micro", "up", "--api-port", "0", "--edge-port", "0");
        Assert.True(up.ExitCode == 0, up.All);
        return cloud;
    }

    public async Task<int> SiloPidAsync() => int.Parse(await File.ReadAllTextAsync(Path.Combine(MicroDirectory, "silo.pid")));

    public async ValueTask DisposeAsync()
    {
        await Cli.RunAsync("micro", "down");
        Directory.Delete(Cli.Home, recursive: true);
    }
}
