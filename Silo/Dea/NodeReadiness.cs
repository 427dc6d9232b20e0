namespace Granary.Silo.Dea;

/// <summary>Whether this node has joined the cluster and announced its DEA; /readyz answers from it.</summary>
public sealed class NodeReadiness
{
    private volatile string? _waiting = "the silo is starting";

    public bool IsReady => _waiting is null;

    public string Waiting => _waiting ?? "";

    public void Ready() => _waiting = null;

    public void NotReady(string why) => _waiting = why;
}
