using System.Collections.Immutable;
using Granary.Routes;

namespace Granary.Edge.Routing;

public enum RouteTableUpdateKind
{
    /// <summary>The changes made a new table.</summary>
    Applied = 1,

    /// <summary>Nothing new: the same version and no changes.</summary>
    Unchanged = 2,

    /// <summary>Out of order or not applicable to this table; the table stays as it was.</summary>
    Refused = 3,
}

public readonly record struct RouteTableUpdate(RouteTableUpdateKind Kind, RouteTable Table, string? Reason = null);

/// <summary>
/// The edge's copy of the cluster route table. Immutable: every change makes a new table, so a request
/// (or a YARP config built from it) never sees a half-applied update.
/// </summary>
public sealed class RouteTable
{
    private static long s_lastId;

    private RouteTable(long version, bool loaded, LayeredMap<Guid, AppRoutes> apps, long epoch, long parentId = 0, ImmutableArray<Guid> changedFromParent = default)
    {
        Version = version;
        Epoch = epoch;
        Loaded = loaded;
        Apps = apps;
        Id = Interlocked.Increment(ref s_lastId);
        ParentId = parentId;
        ChangedFromParent = changedFromParent;
    }

    /// <summary>What the edge holds before the control plane ever answered.</summary>
    public static RouteTable Empty { get; } = new(0, false, LayeredMap<Guid, AppRoutes>.Create([]), 0);

    public long Version { get; }

    /// <summary>The control plane's table history this version belongs to (see <see cref="RouteTableChanges.Epoch"/>).</summary>
    public long Epoch { get; }

    /// <summary>False until a first snapshot came from the control plane (then 503 turns into routing).</summary>
    public bool Loaded { get; }

    public LayeredMap<Guid, AppRoutes> Apps { get; }

    /// <summary>Identifies this table object (not its content): lets the router tell a child of its table from any other.</summary>
    public long Id { get; }

    /// <summary>The <see cref="Id"/> of the table this one was made from by a delta; 0 for a snapshot.</summary>
    public long ParentId { get; }

    /// <summary>
    /// The apps this table changed or removed relative to its parent, so the router rebuilds only those (O(changed),
    /// not O(table)). Default (not empty) when unknown: a snapshot, which the router maps whole.
    /// </summary>
    public ImmutableArray<Guid> ChangedFromParent { get; }

    /// <summary>
    /// Applies what the control plane answered. A full snapshot replaces everything unless it is older than
    /// this table; a delta applies only if it is of this table's epoch and moves the version forward (or, on the
    /// empty unloaded table, says that version 0 is current).
    /// </summary>
    public RouteTableUpdate Apply(RouteTableChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsFull)
        {
            return Loaded && changes.Version < Version
                ? Refused($"snapshot version {changes.Version} is older than the table's {Version}")
                : new(RouteTableUpdateKind.Applied, FromSnapshot(changes));
        }

        if (Loaded && changes.Epoch != Epoch)
        {
            return Refused($"delta of epoch {changes.Epoch} does not apply to a table of epoch {Epoch}");
        }

        // An unloaded table is the empty table at version 0, so "changes since 0" apply to it like any delta.
        var empty = changes.Changed.IsDefaultOrEmpty && changes.Removed.IsDefaultOrEmpty;
        if (changes.Version == Version && empty)
        {
            return Loaded ? new(RouteTableUpdateKind.Unchanged, this) : new(RouteTableUpdateKind.Applied, new RouteTable(Version, true, Apps, changes.Epoch, Id, []));
        }

        if (changes.Version <= Version)
        {
            return Refused($"delta version {changes.Version} does not move past the table's {Version}");
        }

        var apps = new Dictionary<Guid, AppRoutes?>();
        foreach (var app in changes.Changed.IsDefault ? [] : changes.Changed)
        {
            if (app is not null)
            {
                apps[app.AppId] = app;
            }
        }

        foreach (var removed in changes.Removed.IsDefault ? [] : changes.Removed)
        {
            if (apps.ContainsKey(removed) || Apps.ContainsKey(removed))
            {
                apps[removed] = null;
            }
        }

        return new(RouteTableUpdateKind.Applied, new RouteTable(changes.Version, true, Apps.With(apps), changes.Epoch, Id, [.. apps.Keys]));
    }

    /// <summary>
    /// A table holding exactly this snapshot, whatever version this edge held before: used when the control
    /// plane's version went backwards (its state was reset) and it is the truth again.
    /// </summary>
    public static RouteTable FromSnapshot(RouteTableChanges snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var apps = new Dictionary<Guid, AppRoutes>(snapshot.Changed.IsDefault ? 0 : snapshot.Changed.Length);
        foreach (var app in snapshot.Changed.IsDefault ? [] : snapshot.Changed)
        {
            if (app is not null)
            {
                apps[app.AppId] = app;
            }
        }

        return new RouteTable(snapshot.Version, true, LayeredMap<Guid, AppRoutes>.Create(apps), snapshot.Epoch);
    }

    private RouteTableUpdate Refused(string reason) => new(RouteTableUpdateKind.Refused, this, reason);
}
