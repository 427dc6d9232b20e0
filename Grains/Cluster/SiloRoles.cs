using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Granary.Cluster;

/// <summary>Silo metadata keys and role names published by every Granary silo.</summary>
public static class SiloRoles
{
    /// <summary>Metadata key: the node id of the VM the silo runs on.</summary>
    public const string NodeKey = "granary.node";

    /// <summary>Metadata key: comma-separated roles of the silo.</summary>
    public const string RolesKey = "granary.roles";

    /// <summary>Metadata key: the silo's process id, so <c>granary status</c> can name the process on each node.</summary>
    public const string PidKey = "granary.pid";

    /// <summary>Metadata key: the Granary version the silo runs.</summary>
    public const string VersionKey = "granary.version";

    /// <summary>Metadata key: how the node's DEA isolates instances ("full", "none"), empty without a DEA.</summary>
    public const string IsolationKey = "granary.isolation";

    public const string Primary = "primary";
    public const string Controller = "controller";
    public const string Dea = "dea";
    public const string Stager = "stager";
    public const string Router = "router";

    public static readonly IReadOnlyList<string> All = [Primary, Controller, Dea, Stager, Router];

    public static bool HasRole(string? roles, string role) =>
        roles is not null && roles.Split(',', StringSplitOptions.TrimEntries).Contains(role, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="silo"/> published <paramref name="role"/>; false while its metadata is not yet known.</summary>
    public static bool HasRole(this ISiloMetadataCache metadata, SiloAddress silo, string role) =>
        HasRole(metadata.GetSiloMetadata(silo).Metadata.GetValueOrDefault(RolesKey), role);
}
