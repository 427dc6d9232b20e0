using Granary.Config;
using Granary.Tests.Cluster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Granary.Tests.Node;

public sealed class ClusterConfigGrainTests(TwoNodeCluster nodes) : IClassFixture<TwoNodeCluster>
{
    private IClusterConfigGrain Grain => nodes.Cluster.Client.GetGrain<IClusterConfigGrain>(IClusterConfigGrain.Key);

    [Fact]
    public async Task Set_InvalidValue_RefusedAndNothingChanges()
    {
        var before = await Grain.Get();
        await Assert.ThrowsAsync<InvalidClusterConfigException>(() => Grain.Set("Granary:Edge:AccessLog", "sometimes"));
        Assert.Equal(before.Version, (await Grain.Get()).Version);
    }

    [Fact]
    public async Task Set_WatchedKey_PushedIntoAWatchersOptionsWithoutARestart()
    {
        var source = new ClusterConfigurationSource();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Granary:Health:HeartbeatInterval"] = "00:00:02",
        }).Add(source).Build();
        var monitor = new OptionsMonitor<Granary.Health.HealthOptions>(
            new OptionsFactory<Granary.Health.HealthOptions>([new NamedConfigureFromConfigurationOptions<Granary.Health.HealthOptions>(
                Options.DefaultName, configuration.GetSection("Granary:Health"))], []),
            [new ConfigurationChangeTokenSource<Granary.Health.HealthOptions>(configuration)],
            new OptionsCache<Granary.Health.HealthOptions>());
        var watcher = new ClusterConfigWatcher(_ => Task.FromResult<IGrainFactory>(nodes.Cluster.Client), source,
            NullLogger<ClusterConfigWatcher>.Instance);
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            // Subscribed (the first round ran): a change now arrives by push, well before the next pull.
            await WaitUntil(async () => (await Grain.Get()).Version == source.Version);
            await Grain.Set("Granary:Health:HeartbeatInterval", "00:00:01");
            await WaitUntil(() => Task.FromResult(monitor.CurrentValue.HeartbeatInterval == TimeSpan.FromSeconds(1)));
            Assert.Equal(TimeSpan.FromSeconds(1), monitor.CurrentValue.HeartbeatInterval);

            await Grain.Set("Granary:Health:HeartbeatInterval", null);
            await WaitUntil(() => Task.FromResult(monitor.CurrentValue.HeartbeatInterval == TimeSpan.FromSeconds(2)));
            Assert.Equal(TimeSpan.FromSeconds(2), monitor.CurrentValue.HeartbeatInterval);
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Waits for a push (bounded well under the watcher's 10 s pull, so a pull alone cannot pass it).</summary>
    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50 && !await condition(); i++)
            await Task.Delay(100);
    }
}
