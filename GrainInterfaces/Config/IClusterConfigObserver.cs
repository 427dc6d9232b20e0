namespace Granary.Config;

/// <summary>A watcher of the cluster config (a silo's or an edge's <see cref="ClusterConfigWatcher"/>).</summary>
public interface IClusterConfigObserver : IGrainObserver
{
    /// <summary>The config changed; <paramref name="snapshot"/> is the whole of it.</summary>
    Task Changed(ClusterConfigSnapshot snapshot);
}
