namespace Granary.Cli.Node;

/// <summary>The roles a node can have, and the pure rules for choosing and changing them.</summary>
internal static class NodeRoles
{
    public const string Primary = "primary";
    public const string Controller = "controller";
    public const string Dea = "dea";
    public const string Stager = "stager";
    public const string Router = "router";

    /// <summary>In the order they are shown and stored.</summary>
    public static readonly IReadOnlyList<string> All = [Primary, Controller, Router, Stager, Dea];

    /// <summary>What <c>node setup core</c> gives a node.</summary>
    public static IReadOnlyList<string> Core(bool withDea) =>
        withDea ? [Primary, Controller, Router, Stager, Dea] : [Primary, Controller, Router, Stager];

    /// <summary>Parses <c>-e dea,router</c> (or repeated -e) for <c>node attach</c>; the primary role stays with the core.</summary>
    public static IReadOnlyList<string> ParseForAttach(IEnumerable<string> given)
    {
        var roles = given.SelectMany(r => r.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(r => r.ToLowerInvariant()).ToList();
        if (roles.Count == 0)
            throw new UsageException("name the roles this node takes with -e, e.g. -e dea or -e dea,router");
        foreach (var role in roles)
        {
            if (role == Primary)
                throw new UsageException("the primary role belongs to the core (granary node setup core); attach with -e controller, router, stager or dea");
            Check(role);
        }
        return Normalize(roles);
    }

    /// <summary>The roles after <c>role add ROLE</c>; refuses a role the node has or does not know.</summary>
    public static IReadOnlyList<string> Add(IReadOnlyList<string> current, string role)
    {
        role = Check(role.ToLowerInvariant());
        if (current.Contains(role))
            throw new CliException($"this node already has the {role} role (roles: {string.Join(',', current)})");
        return Normalize(current.Append(role));
    }

    /// <summary>The roles after <c>role remove ROLE</c>; a node keeps at least one role and the core keeps primary.</summary>
    public static IReadOnlyList<string> Remove(IReadOnlyList<string> current, string role)
    {
        role = Check(role.ToLowerInvariant());
        if (!current.Contains(role))
            throw new CliException($"this node does not have the {role} role (roles: {string.Join(',', current)})");
        if (role == Primary)
            throw new CliException("the primary role cannot be removed: it marks the node that runs the cluster's database and setup");
        if (current.Count == 1)
            throw new CliException($"{role} is this node's only role: a node needs at least one (granary node remove takes a node out of the cluster)");
        return Normalize(current.Where(r => r != role));
    }

    private static string Check(string role) => All.Contains(role)
        ? role
        : throw new UsageException($"unknown role '{role}': roles are {string.Join(", ", All)}");

    private static IReadOnlyList<string> Normalize(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet(StringComparer.Ordinal);
        return All.Where(set.Contains).ToList();
    }
}
