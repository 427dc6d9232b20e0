using Granary.Health;

namespace Granary.Tests.Health;

public sealed class NodeLivenessTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly HealthOptions Options = new() { MissedHeartbeats = 3 }; // 2 s heartbeats, lost after 3 missed

    [Fact]
    public void By_default_a_node_is_lost_after_two_missed_heartbeats()
    {
        var defaults = new HealthOptions();
        Assert.Equal(TimeSpan.FromSeconds(4), defaults.NodeTimeout);
        Assert.Equal(NodeStatus.Alive, NodeLiveness.Of(Node(T0), T0 + TimeSpan.FromSeconds(3.9), T0 - TimeSpan.FromMinutes(1), defaults));
        Assert.Equal(NodeStatus.Missing, NodeLiveness.Of(Node(T0), T0 + TimeSpan.FromSeconds(4.1), T0 - TimeSpan.FromMinutes(1), defaults));
    }

    private static NodeObservation Node(DateTimeOffset? heard, bool draining = false, bool dead = false) =>
        new("n1", heard, draining, [], dead);

    [Fact]
    public void A_node_that_beats_is_alive() =>
        Assert.Equal(NodeStatus.Alive, NodeLiveness.Of(Node(T0), T0 + TimeSpan.FromSeconds(5), T0 - TimeSpan.FromMinutes(1), Options));

    [Fact]
    public void Missing_three_heartbeats_makes_it_missing() =>
        Assert.Equal(NodeStatus.Missing, NodeLiveness.Of(Node(T0), T0 + TimeSpan.FromSeconds(6.1), T0 - TimeSpan.FromMinutes(1), Options));

    [Fact]
    public void Membership_declaring_it_dead_wins_over_a_fresh_heartbeat() =>
        Assert.Equal(NodeStatus.Dead, NodeLiveness.Of(Node(T0, dead: true), T0, T0 - TimeSpan.FromMinutes(1), Options));

    [Fact]
    public void A_draining_node_is_draining_while_it_beats() =>
        Assert.Equal(NodeStatus.Draining, NodeLiveness.Of(Node(T0, draining: true), T0 + TimeSpan.FromSeconds(1), T0, Options));

    [Fact]
    public void A_freshly_started_manager_gives_unheard_nodes_a_full_timeout()
    {
        var watchingSince = T0;
        Assert.Equal(NodeStatus.Alive, NodeLiveness.Of(Node(null), T0 + TimeSpan.FromSeconds(5), watchingSince, Options));
        Assert.Equal(NodeStatus.Missing, NodeLiveness.Of(Node(null), T0 + TimeSpan.FromSeconds(7), watchingSince, Options));
        // A heartbeat from before the manager started counts as heard at its start.
        Assert.Equal(NodeStatus.Alive, NodeLiveness.Of(Node(T0 - TimeSpan.FromHours(1)), T0 + TimeSpan.FromSeconds(5), watchingSince, Options));
    }
}
