namespace Granary.Health;

/// <summary>
/// The streams that replace NATS's <c>dea.heartbeat</c> and <c>droplet.exited</c>. Both use one stream
/// key, so one health manager (keyed by it) receives every node's messages through its implicit
/// subscription.
/// </summary>
public static class HealthStreams
{
    /// <summary>
    /// The memory stream provider. Not "granary": Orleans keeps a stream provider's subscriptions in the grain
    /// storage of the same name when there is one, and Granary's JSON storage cannot read those back.
    /// </summary>
    public const string Provider = "streams";
    public const string Heartbeat = "dea.heartbeat";
    public const string InstanceExited = "instance.exited";

    /// <summary>The stream key, and the key of the health manager grain.</summary>
    public const string ClusterKey = "cluster";
}
