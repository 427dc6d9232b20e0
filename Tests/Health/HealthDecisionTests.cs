using System.Collections.Immutable;
using Granary.Health;
using Granary.Instances;

namespace Granary.Tests.Health;

public sealed class HealthDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LongAgo = Now - TimeSpan.FromMinutes(10);
    private static readonly Guid AppId = Guid.Parse("00000000-0000-0000-0000-00000000a001");
    private static readonly HealthOptions Options = new() { MissedHeartbeats = 3 };

    private static SlotView Slot(int index, string node, InstanceState state = InstanceState.Running, bool evacuating = false, Guid? id = null) =>
        new(index, id ?? Guid.NewGuid(), node, state, LongAgo, evacuating);

    private static AppHealthView App(int wanted, params SlotView[] slots) =>
        new(AppId, "web", 1, wanted, [.. slots], [], false);

    private static NodeObservation Node(string id, IEnumerable<SlotView> running, DateTimeOffset? heard = null, bool draining = false, bool dead = false) =>
        new(id, heard ?? Now, draining, [.. running.Select(s => new HeartbeatInstance(s.InstanceId, AppId, s.Index, s.State, s.Since))], dead);

    private static ImmutableArray<HealthAction> Decide(IEnumerable<AppHealthView> apps, IEnumerable<NodeObservation> nodes, bool knowsEveryApp = true) =>
        HealthDecision.Decide(new HealthInputs(apps.ToList(), nodes.ToList(), Now, LongAgo, knowsEveryApp, Options));

    [Fact]
    public void A_healthy_app_needs_nothing()
    {
        var a = Slot(0, "n1");
        var b = Slot(1, "n2");
        Assert.Empty(Decide([App(2, a, b)], [Node("n1", [a]), Node("n2", [b])]));
    }

    [Fact]
    public void A_missing_index_is_started()
    {
        var a = Slot(0, "n1");
        var action = Assert.Single(Decide([App(3, a)], [Node("n1", [a])]).Where(x => x.Index == 1));
        Assert.Equal(HealthActionKind.StartMissing, action.Kind);
        Assert.Contains(Decide([App(3, a)], [Node("n1", [a])]), x => x.Kind == HealthActionKind.StartMissing && x.Index == 2);
    }

    [Fact]
    public void A_stopped_app_wants_nothing_started()
    {
        Assert.Empty(Decide([App(0)], []));
    }

    [Fact]
    public void An_extra_instance_a_node_runs_is_stopped()
    {
        var owned = Slot(0, "n1");
        var extra = Slot(1, "n1");
        var action = Assert.Single(Decide([App(1, owned)], [Node("n1", [owned, extra])]));
        Assert.Equal(HealthActionKind.StopStray, action.Kind);
        Assert.Equal(extra.InstanceId, action.InstanceId);
        Assert.Equal("n1", action.NodeId);
        Assert.Contains("wants 1", action.Reason);
    }

    [Fact]
    public void A_duplicate_of_an_index_is_stopped_and_the_owned_one_kept()
    {
        var owned = Slot(0, "n1");
        var duplicate = Slot(0, "n2");
        var action = Assert.Single(Decide([App(1, owned)], [Node("n1", [owned]), Node("n2", [duplicate])]));
        Assert.Equal(HealthActionKind.StopStray, action.Kind);
        Assert.Equal(duplicate.InstanceId, action.InstanceId);
        Assert.Contains("duplicate of instance 0", action.Reason);
    }

    [Fact]
    public void Instances_of_a_deleted_app_are_stopped()
    {
        var orphan = Slot(0, "n1");
        var action = Assert.Single(Decide([AppHealthView.Gone(AppId, 9)], [Node("n1", [orphan])]));
        Assert.Equal(HealthActionKind.StopStray, action.Kind);
        Assert.Contains("no longer exists", action.Reason);
    }

    [Fact]
    public void Strays_wait_until_the_manager_knows_every_app()
    {
        var unknown = Slot(0, "n1");
        Assert.Empty(Decide([], [Node("n1", [unknown])], knowsEveryApp: false));
        Assert.Single(Decide([], [Node("n1", [unknown])], knowsEveryApp: true));
    }

    [Fact]
    public void A_just_started_instance_is_not_a_stray_yet()
    {
        var fresh = new SlotView(0, Guid.NewGuid(), "n1", InstanceState.Starting, Now - TimeSpan.FromSeconds(1), false);
        Assert.Empty(Decide([App(0)], [Node("n1", [fresh])]));
    }

    [Fact]
    public void Instances_on_a_node_that_missed_its_heartbeats_are_replaced()
    {
        var lost = Slot(0, "n1");
        var fine = Slot(1, "n2");
        var actions = Decide([App(2, lost, fine)], [Node("n1", [lost], heard: Now - TimeSpan.FromSeconds(7)), Node("n2", [fine])]);
        var action = Assert.Single(actions, a => a.Kind != HealthActionKind.FenceNode);
        Assert.Equal(HealthActionKind.ReplaceLost, action.Kind);
        Assert.Equal(lost.InstanceId, action.InstanceId);
        Assert.Contains("missed 3 heartbeats", action.Reason);
    }

    [Fact]
    public void A_node_that_missed_its_heartbeats_is_fenced_while_another_is_alive()
    {
        var silent = Now - TimeSpan.FromSeconds(7);
        var fence = Assert.Single(Decide([], [Node("n1", [], heard: silent), Node("n2", [])]));
        Assert.Equal((HealthActionKind.FenceNode, "n1"), (fence.Kind, fence.NodeId));
        Assert.Contains("missed 3 heartbeats; declaring its silo dead", fence.Reason);

        // Not a node membership already declared dead, not a draining one, and not when every node is silent.
        Assert.Empty(Decide([], [Node("n1", [], heard: silent, dead: true), Node("n2", [])]));
        Assert.Empty(Decide([], [Node("n1", [], draining: true), Node("n2", [])]));
        Assert.Empty(Decide([], [Node("n1", [], heard: silent), Node("n2", [], heard: silent)]));
    }

    [Fact]
    public void When_no_node_is_alive_lost_instances_wait_for_one()
    {
        // Every node silent at once: heartbeats are likely not getting through; there is nowhere to go anyway.
        var a = Slot(0, "n1");
        var b = Slot(1, "n2");
        var silent = Now - TimeSpan.FromSeconds(30);
        Assert.Empty(Decide([App(2, a, b)], [Node("n1", [a], heard: silent), Node("n2", [b], heard: silent)]));

        // As soon as one node beats again, the other's instances move to it.
        var action = Assert.Single(Decide([App(2, a, b)], [Node("n1", [a]), Node("n2", [b], heard: silent)]), x => x.Kind != HealthActionKind.FenceNode);
        Assert.Equal(HealthActionKind.ReplaceLost, action.Kind);
        Assert.Equal(b.InstanceId, action.InstanceId);
    }

    [Fact]
    public void Missing_instances_wait_while_the_only_node_drains()
    {
        // micro down: the cloud's one node drains; starting instances it just stopped would only fail placement.
        Assert.DoesNotContain(Decide([App(2)], [Node("n1", [], draining: true)]), x => x.Kind == HealthActionKind.StartMissing);
        Assert.Equal(2, Decide([App(2)], [Node("n1", [], draining: true), Node("n2", [])]).Count(x => x.Kind == HealthActionKind.StartMissing));
    }

    [Fact]
    public void Instances_on_a_node_membership_declared_dead_are_replaced_at_once()
    {
        var lost = Slot(0, "n1");
        var action = Assert.Single(Decide([App(1, lost)], [Node("n1", [lost], dead: true), Node("n2", [])]));
        Assert.Equal(HealthActionKind.ReplaceLost, action.Kind);
        Assert.Contains("declared dead", action.Reason);
    }

    [Fact]
    public void Instances_on_a_node_never_heard_from_are_replaced_after_the_timeout()
    {
        var placed = Slot(0, "gone-node");
        var action = Assert.Single(Decide([App(1, placed)], [Node("n2", [])]));
        Assert.Equal(HealthActionKind.ReplaceLost, action.Kind);
    }

    [Fact]
    public void A_lost_node_is_not_asked_to_stop_its_strays()
    {
        var stray = Slot(0, "n1");
        Assert.Empty(Decide([App(0)], [Node("n1", [stray], dead: true)]));
    }

    [Fact]
    public void An_instance_its_node_no_longer_runs_is_started_again()
    {
        var vanished = Slot(0, "n1");
        var action = Assert.Single(Decide([App(1, vanished)], [Node("n1", [])]));
        Assert.Equal(HealthActionKind.ReplaceLost, action.Kind);
        Assert.Contains("no longer runs it", action.Reason);
    }

    [Fact]
    public void A_crashed_instance_is_restarted_at_once_the_first_times()
    {
        var crashed = Slot(0, "n1", InstanceState.Crashed);
        var app = App(1, crashed) with
        {
            Crashes = [new CrashRecord(0, crashed.InstanceId, "n1", Now - TimeSpan.FromSeconds(2), Now, 3, "exit 3", [])],
        };
        var action = Assert.Single(Decide([app], [Node("n1", [])]));
        Assert.Equal(HealthActionKind.RestartCrashed, action.Kind);
        Assert.Equal(crashed.InstanceId, action.InstanceId);
    }

    [Fact]
    public void A_flapping_instance_waits_out_its_backoff()
    {
        var crashed = Slot(0, "n1", InstanceState.Crashed);
        var crashes = Enumerable.Range(0, 5).Select(i =>
            new CrashRecord(0, Guid.NewGuid(), "n1", Now - TimeSpan.FromSeconds(10 * (5 - i)) - TimeSpan.FromSeconds(1),
                Now - TimeSpan.FromSeconds(10 * (4 - i)), 3, "exit 3", [])).ToImmutableArray();
        // The fifth crash in a row was just now: a 4 s backoff.
        var app = App(1, crashed) with { Crashes = crashes };
        Assert.Empty(Decide([app], [Node("n1", [])]));

        var later = HealthDecision.Decide(new HealthInputs([app], [Node("n1", [])], Now + TimeSpan.FromSeconds(4), LongAgo, true, Options));
        var action = Assert.Single(later);
        Assert.Equal(HealthActionKind.RestartCrashed, action.Kind);
        Assert.Contains("5 times in a row", action.Reason);
        Assert.Contains("4 s backoff", action.Reason);
    }

    [Fact]
    public void A_crashed_instance_on_a_lost_node_is_restarted_not_replaced_twice()
    {
        var crashed = Slot(0, "n1", InstanceState.Crashed);
        var actions = Decide([App(1, crashed)], [Node("n1", [], dead: true)]);
        var action = Assert.Single(actions);
        Assert.Equal(HealthActionKind.RestartCrashed, action.Kind);
    }

    [Fact]
    public void Stopping_instances_are_left_alone()
    {
        var stopping = Slot(0, "n1", InstanceState.Stopping);
        Assert.Empty(Decide([App(1, stopping)], [Node("n1", [stopping], dead: true)]));
    }

    [Fact]
    public void Evacuation_starts_a_replacement_first()
    {
        var leaving = Slot(0, "n1");
        var action = Assert.Single(Decide([App(1, leaving)], [Node("n1", [leaving], draining: true)]));
        Assert.Equal(HealthActionKind.Evacuate, action.Kind);
        Assert.Equal(leaving.InstanceId, action.InstanceId);
    }

    [Fact]
    public void Evacuation_waits_while_the_replacement_starts()
    {
        var leaving = Slot(0, "n1", evacuating: true);
        var replacement = Slot(0, "n2", InstanceState.Starting);
        Assert.Empty(Decide([App(1, leaving, replacement)], [Node("n1", [leaving], draining: true), Node("n2", [replacement])]));
    }

    [Fact]
    public void Evacuation_stops_the_old_instance_once_its_replacement_runs()
    {
        var leaving = Slot(0, "n1", evacuating: true);
        var replacement = Slot(0, "n2");
        var action = Assert.Single(Decide([App(1, leaving, replacement)], [Node("n1", [leaving], draining: true), Node("n2", [replacement])]));
        Assert.Equal(HealthActionKind.StopEvacuated, action.Kind);
        Assert.Equal(leaving.InstanceId, action.InstanceId);
        Assert.Contains("n2 is running", action.Reason);
    }

    [Fact]
    public void An_evacuating_instance_whose_node_dies_is_replaced_like_any_lost_one()
    {
        var leaving = Slot(0, "n1", evacuating: true);
        var action = Assert.Single(Decide([App(1, leaving)], [Node("n1", [leaving], dead: true), Node("n2", [])]));
        Assert.Equal(HealthActionKind.ReplaceLost, action.Kind);
    }

    [Fact]
    public void Deciding_twice_gives_the_same_actions()
    {
        var lost = Slot(0, "n1");
        var extra = Slot(3, "n2");
        var apps = new[] { App(2, lost) };
        var nodes = new[] { Node("n1", [lost], dead: true), Node("n2", [extra]) };
        Assert.Equal(Decide(apps, nodes).ToArray(), Decide(apps, nodes).ToArray());
        Assert.Equal(3, Decide(apps, nodes).Length); // replace index 0, start index 1, stop the extra
    }

    [Fact]
    public void Throttle_holds_back_a_repeat_within_the_cooldown()
    {
        var last = new Dictionary<string, DateTimeOffset> { ["k"] = Now };
        Assert.False(ActionThrottle.IsDue(last, "k", Now + TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));
        Assert.True(ActionThrottle.IsDue(last, "k", Now + TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)));
        Assert.True(ActionThrottle.IsDue(last, "other", Now, TimeSpan.FromSeconds(5)));
        ActionThrottle.Forget(last, Now + TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(5));
        Assert.Empty(last);
    }
}
