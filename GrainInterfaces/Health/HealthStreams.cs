namespace Granary.Health;

/// <summary>
/// The streams that replace NATS's <c>dea.heartbeat</c> and <c>droplet.exited</c>. Both use one stream
/// key, so one health manager (keyed by it) receives every node's messages through its implicit
/// subscription.
/// </summary>
public static class HealthStreams
{
    public const string Provider = "granary";
    public const string Heartbeat = "dea.heartbeat";
    public const string InstanceExited = "instance.exited";

    /// <summary>The stream key, and the key of the health manager grain.</summary>
    public const string ClusterKey = "cluster";
}
