using Granary.Instances;

namespace Granary.Instances;

/// <summary>The outcome of asking the lifecycle for a move.</summary>
public readonly record struct Transition(bool Allowed, string? RefusedBecause)
{
    public static Transition Ok { get; } = new(true, null);
    public static Transition Refuse(string because) => new(false, because);
}

/// <summary>
/// The one place that decides which instance state changes are legal. Every transition of an
/// InstanceGrain goes through <see cref="Check"/>, so an invalid move is refused the same way
/// whether it comes from a node report, a health decision or the API.
/// </summary>
public static class InstanceLifecycle
{
    /// <summary>Whether an instance in <paramref name="from"/> (null: not yet created) may move to <paramref name="to"/>.</summary>
    public static Transition Check(InstanceState? from, InstanceState to)
    {
        if (from == to)
        {
            return Transition.Refuse($"the instance is already {Name(to)}");
        }

        var allowed = (from, to) switch
        {
            (null, InstanceState.Starting) => true,
            (InstanceState.Starting, InstanceState.Running or InstanceState.Stopping or InstanceState.Crashed) => true,
            (InstanceState.Running, InstanceState.Stopping or InstanceState.Crashed) => true,
            (InstanceState.Stopping, InstanceState.Stopped) => true,
            // A crashed instance is restarted in place by the health manager, or put to rest when its app stops.
            (InstanceState.Crashed, InstanceState.Starting or InstanceState.Stopped) => true,
            _ => false,
        };
        return allowed
            ? Transition.Ok
            : Transition.Refuse($"an instance cannot go from {(from is null ? "nothing" : Name(from.Value))} to {Name(to)}");
    }

    /// <summary>States in which the instance has no process and never will again.</summary>
    public static bool IsTerminal(InstanceState state) => state == InstanceState.Stopped;

    public static string Name(InstanceState state) => state.ToString().ToUpperInvariant();
}
