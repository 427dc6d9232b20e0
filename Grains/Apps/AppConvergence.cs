using System.Collections.Immutable;
using Granary.Apps;
using Granary.Staging;

namespace Granary.Apps;

/// <summary>One instance the app has placed: which index it serves and where it runs.</summary>
[GenerateSerializer, Alias("granary.instance-slot")]
public sealed record InstanceSlot(
    [property: Id(0)] int Index,
    [property: Id(1)] Guid InstanceId,
    [property: Id(2)] string NodeId,
    [property: Id(3)] string DropletHash,
    [property: Id(4)] int MemoryMb,
    [property: Id(5)] bool Evacuating = false);

/// <summary>What to change: indices to start, and slots to stop with the reason.</summary>
public sealed record ConvergencePlan(ImmutableArray<int> Start, ImmutableArray<(InstanceSlot Slot, string Reason)> Stop)
{
    public bool IsEmpty => Start.IsEmpty && Stop.IsEmpty;
}

/// <summary>
/// Compares an app's desired state with the instances it has placed and says what to start and stop.
/// Pure. Crashed instances are kept in their slot here: restarting them is the health manager's call.
/// An evacuating slot does not hold its index, so a replacement is started for it.
/// </summary>
public static class AppConvergence
{
    public static ConvergencePlan Plan(AppSpec spec, DropletRef? droplet, IReadOnlyList<InstanceSlot> slots)
    {
        var stop = ImmutableArray.CreateBuilder<(InstanceSlot, string)>();
        var start = ImmutableArray.CreateBuilder<int>();
        var wanted = spec.State == AppState.Started && droplet is not null ? spec.Instances : 0;
        var stopReason = spec.State == AppState.Stopped ? "the app was stopped" : "the app has no droplet";

        var seen = new HashSet<int>();
        foreach (var slot in slots.OrderBy(s => s.Index))
        {
            if (slot.Index >= wanted)
            {
                stop.Add((slot, wanted == 0 ? stopReason : $"scaled down to {wanted}"));
            }
            else if (slot.Evacuating)
            {
                // Leaving a draining node: it keeps serving until its replacement runs, then the health manager stops it.
                if (slot.DropletHash != droplet!.Hash)
                {
                    stop.Add((slot, "replaced by a new droplet"));
                }
            }
            else if (!seen.Add(slot.Index))
            {
                stop.Add((slot, $"a duplicate of instance {slot.Index}"));
            }
            else if (slot.DropletHash != droplet!.Hash)
            {
                stop.Add((slot, "replaced by a new droplet"));
            }
            else if (slot.MemoryMb != spec.MemoryMb)
            {
                stop.Add((slot, $"memory changed to {spec.MemoryMb} MB"));
            }
        }

        var kept = slots.Where(s => !s.Evacuating && !stop.Any(x => x.Item1 == s)).Select(s => s.Index).ToHashSet();
        for (var index = 0; index < wanted; index++)
        {
            if (!kept.Contains(index))
            {
                start.Add(index);
            }
        }

        return new ConvergencePlan(start.ToImmutable(), stop.ToImmutable());
    }
}
