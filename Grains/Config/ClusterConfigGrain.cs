using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace Granary.Config;

/// <summary>What the cluster config grain stores; property names are the stored JSON's schema.</summary>
public sealed record ClusterConfigState
{
    public long Version { get; init; }

    public ImmutableSortedDictionary<string, string> Values { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
}

/// <summary>Holds the cluster-wide settings and pushes each change to the watching silos and edges.</summary>
public sealed partial class ClusterConfigGrain(
    [PersistentState("config", GrainStorage.Name)] IPersistentState<ClusterConfigState> state,
    ILogger<ClusterConfigGrain> logger) : Grain, IClusterConfigGrain
{
    // Watchers renew every 30 s; an observer that stopped renewing (its process is gone) is dropped after this.
    private readonly ObserverManager<IClusterConfigObserver> _watchers = new(TimeSpan.FromMinutes(2), logger);

    private ClusterConfigSnapshot Snapshot => new(state.State.Version, state.State.Values);

    public Task<ClusterConfigSnapshot> Get() => Task.FromResult(Snapshot);

    public async Task<ClusterConfigSnapshot> Set(string key, string? value)
    {
        var values = state.State.Values;
        if (value is null)
        {
            var canonical = ClusterConfigKeys.Canonical(key)
                ?? throw new InvalidClusterConfigException($"{key} is not a cluster setting; they are: {string.Join(", ", ClusterConfigKeys.Known)}");
            if (!values.ContainsKey(canonical))
                return Snapshot;
            values = values.Remove(canonical);
            key = canonical;
        }
        else
        {
            var (canonical, normalized) = ClusterConfigKeys.Validate(key, value);
            if (values.TryGetValue(canonical, out var current) && current == normalized)
                return Snapshot;
            values = values.SetItem(canonical, normalized);
            (key, value) = (canonical, normalized);
        }

        state.State = new ClusterConfigState { Version = state.State.Version + 1, Values = values };
        await state.WriteStateAsync();
        LogChanged(key, value ?? "(unset)", state.State.Version, _watchers.Count);
        var snapshot = Snapshot;
        await _watchers.Notify(w => w.Changed(snapshot));
        return snapshot;
    }

    public Task Subscribe(IClusterConfigObserver observer)
    {
        _watchers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster config: {Key} = {Value} (version {Version}), telling {Watchers} watcher(s)")]
    private partial void LogChanged(string key, string value, long version, int watchers);
}
