using Granary.Tests.Infrastructure;

namespace Granary.Tests.EndToEnd;

/// <summary>A micro cloud started with ./granary micro up on free ports, as a new user would start it.</summary>
public sealed class MicroCloudFixture : IAsyncLifetime
{
    public CliRunner Cli { get; } = new(Directory.CreateTempSubdirectory("granary-e2e-").FullName);

    public CliResult Up { get; private set; } = new(-1, "", "");

    public async Task InitializeAsync()
    {
        Up = await Cli.RunAsync(TimeSpan.FromMinutes(10), "micro", "up", "--api-port", "0", "--edge-port", "0");
        Assert.True(Up.ExitCode == 0, $"micro up failed: {Up.All}\n{SiloLog()}");
    }

    public string SiloLog()
    {
        var log = Path.Combine(Cli.Home, "micro", "silo.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(60)) : "(no silo log)";
    }

    public async Task DisposeAsync()
    {
        await Cli.RunAsync("micro", "down");
        try
        {
            Directory.Delete(Cli.Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MicroCloudCollection : ICollectionFixture<MicroCloudFixture>
{
    public const string Name = "micro-cloud";
}
