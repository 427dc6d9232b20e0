using System.Collections.Immutable;
using Granary.Instances;

namespace Granary.Health;

public enum HealthActionKind
{
    /// <summary>A crashed instance's backoff is over: start its index again.</summary>
    RestartCrashed,
    /// <summary>An instance on a lost node, or gone from its node: start its index elsewhere.</summary>
    ReplaceLost,
    /// <summary>An index the app wants has no instance: ask the app to place it.</summary>
    StartMissing,
    /// <summary>An instance on a draining node: start a replacement elsewhere first.</summary>
    Evacuate,
    /// <summary>An evacuated instance whose replacement runs: stop it.</summary>
    StopEvacuated,
    /// <summary>An instance a node runs that its app does not own (extra, duplicate, or of a deleted app).</summary>
    StopStray,
    /// <summary>
    /// A node gone silent whose silo membership still counts as alive: declare the silo dead, so the grain
    /// directory ranges it owns (where new instances must register) stop waiting on it, and it stops if it wakes.
    /// </summary>
    FenceNode,
}

/// <summary>One decision, with the reason users will read in <c>granary events</c>.</summary>
public sealed record HealthAction(HealthActionKind Kind, Guid AppId, int Index, Guid? InstanceId, string NodeId, string Reason)
{
    /// <summary>Identifies "the same action on the same target", for the cooldown.</summary>
    public string Key => $"{Kind}/{AppId}/{Index}/{InstanceId}/{NodeId}";
}

/// <summary>Everything one convergence pass decides from.</summary>
public sealed record HealthInputs(
    IReadOnlyCollection<AppHealthView> Apps,
    IReadOnlyCollection<NodeObservation> Nodes,
    DateTimeOffset Now,
    DateTimeOffset WatchingSince,
    bool KnowsEveryApp,
    HealthOptions Options);

/// <summary>
/// The health manager's decision (pure): desired state (apps' views), actual state (heartbeats), crash
/// history, node liveness and the time in; starts and stops with their reasons out. Running it twice on
/// the same inputs gives the same actions, and every action is safe to repeat.
/// </summary>
public static class HealthDecision
{
    public static ImmutableArray<HealthAction> Decide(HealthInputs inputs)
    {
        var options = inputs.Options;
        var nodes = inputs.Nodes.ToDictionary(n => n.NodeId, StringComparer.Ordinal);
        var status = nodes.Values.ToDictionary(
            n => n.NodeId, n => NodeLiveness.Of(n, inputs.Now, inputs.WatchingSince, options), StringComparer.Ordinal);
        var actions = ImmutableArray.CreateBuilder<HealthAction>();
        // With no node alive there is nowhere to start a replacement or a missing instance, and "every node went silent at once"
        // more likely means heartbeats are not getting through than that the whole cluster died: replacing
        // would only tear down routes to instances that may well be serving (Kubernetes' node controller
        // stops evicting on full disruption for the same reason).
        var canReplace = status.Values.Any(s => s is NodeStatus.Alive);

        foreach (var app in inputs.Apps.Where(a => !a.Deleted).OrderBy(a => a.AppId))
        {
            DecideForApp(app, nodes, status, inputs, canReplace, actions);
        }

        if (inputs.KnowsEveryApp)
        {
            FindStrays(inputs, nodes.Values, status, actions);
        }

        // Fencing follows the same rule as replacing: only while another node is alive, so a cluster whose
        // heartbeats all stopped at once (more likely a broken stream than dead nodes) is left alone.
        var silent = canReplace ? status.Where(s => s.Value == NodeStatus.Missing).Select(s => s.Key) : [];
        foreach (var node in silent.Order(StringComparer.Ordinal))
        {
            actions.Add(new(HealthActionKind.FenceNode, Guid.Empty, -1, null, node,
                $"{NodeLiveness.Describe(NodeStatus.Missing, node, options)}; declaring its silo dead"));
        }

        return actions.ToImmutable();
    }

    private static void DecideForApp(
        AppHealthView app,
        Dictionary<string, NodeObservation> nodes,
        Dictionary<string, NodeStatus> status,
        HealthInputs inputs,
        bool canReplace,
        ImmutableArray<HealthAction>.Builder actions)
    {
        var options = inputs.Options;
        var occupied = new HashSet<int>();
        foreach (var slot in app.Slots.OrderBy(s => s.Index))
        {
            var nodeStatus = status.GetValueOrDefault(slot.NodeId, NodeLiveness.Of(
                new NodeObservation(slot.NodeId, null, false, [], false), inputs.Now, inputs.WatchingSince, options));
            // Every slot holds its index: a lost or crashed one is replaced through its own action below.
            occupied.Add(slot.Index);

            if (slot.State == InstanceState.Crashed)
            {
                var crash = CrashPolicy.Evaluate(app.Crashes.Where(c => c.Index == slot.Index), options.Crashes);
                if (inputs.Now >= crash.RestartAt)
                {
                    var why = crash.Count <= 1 ? "it crashed" : $"it crashed {crash.Count} times in a row";
                    actions.Add(new(HealthActionKind.RestartCrashed, app.AppId, slot.Index, slot.InstanceId, slot.NodeId,
                        crash.Delay > TimeSpan.Zero ? $"{why}; restarting after a {Seconds(crash.Delay)} backoff" : $"{why}; restarting"));
                }

                continue;
            }

            if (slot.State is not (InstanceState.Starting or InstanceState.Running))
            {
                continue; // stopping or stopped: the app is already letting go of it
            }

            if (NodeLiveness.IsLost(nodeStatus))
            {
                if (!canReplace)
                {
                    continue;
                }

                actions.Add(new(HealthActionKind.ReplaceLost, app.AppId, slot.Index, slot.InstanceId, slot.NodeId,
                    $"{NodeLiveness.Describe(nodeStatus, slot.NodeId, options)}; starting it elsewhere"));
                continue;
            }

            if (nodes.TryGetValue(slot.NodeId, out var node) && VanishedFrom(node, slot, options))
            {
                actions.Add(new(HealthActionKind.ReplaceLost, app.AppId, slot.Index, slot.InstanceId, slot.NodeId,
                    $"node {slot.NodeId} no longer runs it; starting it again"));
                continue;
            }

            if (nodeStatus == NodeStatus.Draining)
            {
                DecideEvacuation(app, slot, actions);
            }
        }

        // Nowhere to start it either; this also keeps a whole cloud's shutdown (its last node draining) quiet.
        for (var index = 0; canReplace && index < app.Wanted; index++)
        {
            if (!occupied.Contains(index))
            {
                actions.Add(new(HealthActionKind.StartMissing, app.AppId, index, null, "",
                    $"instance {index} is wanted but has none"));
            }
        }
    }

    private static void DecideEvacuation(AppHealthView app, SlotView slot, ImmutableArray<HealthAction>.Builder actions)
    {
        var replacement = app.Slots.FirstOrDefault(s => s.Index == slot.Index && s.InstanceId != slot.InstanceId && !s.Evacuating);
        if (!slot.Evacuating)
        {
            if (replacement is null)
            {
                actions.Add(new(HealthActionKind.Evacuate, app.AppId, slot.Index, slot.InstanceId, slot.NodeId,
                    $"node {slot.NodeId} is being evacuated; starting a replacement elsewhere first"));
            }
        }
        else if (replacement is { State: InstanceState.Running })
        {
            actions.Add(new(HealthActionKind.StopEvacuated, app.AppId, slot.Index, slot.InstanceId, slot.NodeId,
                $"its replacement on node {replacement.NodeId} is running"));
        }
    }

    /// <summary>
    /// The node sent a heartbeat well after the instance was placed, yet does not list it: its process is
    /// gone and the exit was never heard of (a lost message, a restarted node).
    /// </summary>
    private static bool VanishedFrom(NodeObservation node, SlotView slot, HealthOptions options) =>
        node.LastHeartbeatAt is { } heard
        && heard - slot.Since > options.Grace
        && !node.Instances.Any(i => i.InstanceId == slot.InstanceId);

    private static void FindStrays(
        HealthInputs inputs,
        IEnumerable<NodeObservation> nodes,
        Dictionary<string, NodeStatus> status,
        ImmutableArray<HealthAction>.Builder actions)
    {
        var apps = inputs.Apps.ToDictionary(a => a.AppId);
        foreach (var node in nodes.Where(n => !NodeLiveness.IsLost(status[n.NodeId])).OrderBy(n => n.NodeId, StringComparer.Ordinal))
        {
            foreach (var instance in node.Instances.OrderBy(i => i.InstanceId))
            {
                if (instance.State is InstanceState.Stopping or InstanceState.Stopped || inputs.Now - instance.Since <= inputs.Options.Grace)
                {
                    continue; // on its way out, or so new that the app may not have recorded it yet
                }

                var app = apps.GetValueOrDefault(instance.AppId);
                if (app is not null && !app.Deleted && app.Slots.Any(s => s.InstanceId == instance.InstanceId))
                {
                    continue;
                }

                var reason = app is null || app.Deleted ? "its app no longer exists"
                    : app.Slots.Any(s => s.Index == instance.Index) ? $"a duplicate of instance {instance.Index}"
                    : instance.Index >= app.Wanted ? $"the app wants {app.Wanted} instance(s)"
                    : "the app does not own it";
                actions.Add(new(HealthActionKind.StopStray, instance.AppId, instance.Index, instance.InstanceId, node.NodeId, reason));
            }
        }
    }

    private static string Seconds(TimeSpan delay) =>
        delay.TotalSeconds < 60 ? $"{delay.TotalSeconds:0.#} s" : $"{delay.TotalMinutes:0.#} min";
}
