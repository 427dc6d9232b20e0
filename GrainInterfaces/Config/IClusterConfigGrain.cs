namespace Granary.Config;

/// <summary>
/// The cluster's key/value settings (Stackato's Doozer): persisted, versioned, and pushed to every watcher
/// (silos and edges) when they change, so settings apply without restarts. One grain, key <c>cluster</c>.
/// </summary>
public interface IClusterConfigGrain : IGrainWithStringKey
{
    public const string Key = "cluster";

    /// <summary>Every setting and the version they are at.</summary>
    Task<ClusterConfigSnapshot> Get();

    /// <summary>Sets <paramref name="key"/> (null removes it) and tells every watcher; throws <see cref="InvalidClusterConfigException"/> for an unknown key or bad value.</summary>
    Task<ClusterConfigSnapshot> Set(string key, string? value);

    /// <summary>Pushes each new snapshot to <paramref name="observer"/> until it expires; watchers renew it.</summary>
    Task Subscribe(IClusterConfigObserver observer);
}
