namespace Granary.Silo.Dea.Isolation;

/// <summary>
/// Hands each running instance a uid (and the gid of the same number) of its own from a configured range: numeric,
/// with no /etc/passwd entry on the host, so the range only has to be one no real user or service uses.
/// The lowest free one is taken, so a node's instances keep to the start of its range.
/// </summary>
public sealed class UidSlots(int first, int count)
{
    private readonly SortedSet<int> _taken = [];
    private readonly Lock _lock = new();

    public int First => first;

    public int Count => count;

    public int InUse
    {
        get { lock (_lock) return _taken.Count; }
    }

    /// <summary>The lowest uid of the range no instance holds; throws when every one is held.</summary>
    public int Take()
    {
        lock (_lock)
        {
            for (var uid = first; uid < first + count; uid++)
            {
                if (_taken.Add(uid))
                {
                    return uid;
                }
            }
        }

        throw new InvalidOperationException(
            $"all {count} instance uids ({first}-{first + count - 1}) are in use: raise Granary:Dea:Isolation:UidCount");
    }

    /// <summary>Gives a uid back once nothing of its instance runs any more.</summary>
    public void Return(int uid)
    {
        lock (_lock)
        {
            _taken.Remove(uid);
        }
    }
}
