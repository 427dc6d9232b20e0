using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Config;

/// <summary>
/// Feeds the cluster config into a process's <see cref="IConfiguration"/> as its last (winning) source, so options
/// read through <c>IOptionsMonitor</c> see changes at once. It lives here, with the contracts, because the edge
/// references nothing else of Granary's.
/// </summary>
public sealed class ClusterConfigurationSource : IConfigurationSource
{
    private readonly ClusterConfigurationProvider _provider = new();

    public IConfigurationProvider Build(IConfigurationBuilder builder) => _provider;

    public long Version => _provider.Version;

    /// <summary>True when the snapshot was newer and was applied.</summary>
    public bool Apply(ClusterConfigSnapshot snapshot) => _provider.Apply(snapshot);

    private sealed class ClusterConfigurationProvider : ConfigurationProvider
    {
        public long Version { get; private set; }

        private readonly Lock _gate = new();

        public bool Apply(ClusterConfigSnapshot snapshot)
        {
            lock (_gate)
            {
                if (snapshot.Version <= Version)
                    return false;
                Data = new Dictionary<string, string?>(snapshot.Values.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)),
                    StringComparer.OrdinalIgnoreCase);
                Version = snapshot.Version;
            }
            OnReload();
            return true;
        }
    }
}

/// <summary>
/// Keeps a <see cref="ClusterConfigurationSource"/> in step with the cluster config grain: subscribed for pushes,
/// renewing the subscription (observers do not survive reconnects or a lost grain), and pulling the version on a
/// timer so a lost push costs at most one <see cref="PullInterval"/>.
/// </summary>
public sealed partial class ClusterConfigWatcher(
    Func<CancellationToken, Task<IGrainFactory>> connect,
    ClusterConfigurationSource source,
    ILogger<ClusterConfigWatcher> logger) : BackgroundService, IClusterConfigObserver
{
    public static readonly TimeSpan PullInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ResubscribeInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        IClusterConfigObserver? reference = null;
        var nextSubscribe = DateTimeOffset.MinValue;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var grains = await connect(stopping);
                var grain = grains.GetGrain<IClusterConfigGrain>(IClusterConfigGrain.Key);
                if (DateTimeOffset.UtcNow >= nextSubscribe)
                {
                    reference ??= grains.CreateObjectReference<IClusterConfigObserver>(this);
                    await grain.Subscribe(reference);
                    nextSubscribe = DateTimeOffset.UtcNow + ResubscribeInterval;
                }
                await Changed(await grain.Get());
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // The cluster is unreachable or still starting: keep the settings we have and try again soon.
                reference = null;
                nextSubscribe = DateTimeOffset.MinValue;
                LogUnreachable(e.Message);
                await Task.Delay(RetryInterval, stopping);
                continue;
            }
            await Task.Delay(PullInterval, stopping);
        }
    }

    public Task Changed(ClusterConfigSnapshot snapshot)
    {
        if (source.Apply(snapshot))
            LogApplied(snapshot.Version, string.Join(", ", snapshot.Values.Select(kv => $"{kv.Key}={kv.Value}")));
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster config version {Version} applied: {Values}")]
    private partial void LogApplied(long version, string values);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cluster config not reachable yet: {Reason}")]
    private partial void LogUnreachable(string reason);
}
