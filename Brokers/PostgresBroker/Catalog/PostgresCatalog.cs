namespace Granary.Brokers.Postgres.Catalog;

/// <summary>A plan: what a platform sees in the catalog and the database limit it stands for.</summary>
public sealed record PlanDefinition(string Id, string Name, string Description, int ConnectionLimit);

/// <summary>
/// The one service this broker offers. The ids are fixed forever: platforms find services and plans by
/// id across catalog fetches (OSB "Catalog Management"), so changing one would orphan every instance.
/// </summary>
public static class PostgresCatalog
{
    public const string ServiceId = "4f6f2b52-8a4e-4d52-9a55-6772616e6172";
    public const string ServiceName = "postgresql";

    /// <summary>
    /// Sent in the catalog; a provision naming another version gets 422 MaintenanceInfoConflict. Raise it
    /// when what a new instance gets changes (server version, defaults).
    /// </summary>
    public const string MaintenanceVersion = "1.0.0";

    public static readonly IReadOnlyList<PlanDefinition> Plans =
    [
        new("9b0c6f3e-1b7d-4a4a-8d52-736d616c6c31", "small", "A database of its own on a shared server, at most 10 connections.", 10),
        new("9b0c6f3e-1b7d-4a4a-8d52-6d656469756d", "medium", "A database of its own on a shared server, at most 50 connections.", 50),
    ];

    public static PlanDefinition? FindPlan(string planId) => Plans.FirstOrDefault(p => p.Id == planId);

    /// <summary>The body of GET /v2/catalog, in the spec's snake_case names.</summary>
    public static object Document() => new Dictionary<string, object>
    {
        ["services"] = new object[]
        {
            new Dictionary<string, object>
            {
                ["id"] = ServiceId,
                ["name"] = ServiceName,
                ["description"] = "PostgreSQL databases: one database per instance, one login per binding.",
                ["tags"] = new[] { "postgresql", "relational", "sql" },
                ["bindable"] = true,
                ["instances_retrievable"] = false,
                ["bindings_retrievable"] = false,
                ["plan_updateable"] = false,
                ["metadata"] = new Dictionary<string, object> { ["displayName"] = "PostgreSQL", ["providerDisplayName"] = "Granary" },
                ["plans"] = Plans.Select(p => new Dictionary<string, object>
                {
                    ["id"] = p.Id,
                    ["name"] = p.Name,
                    ["description"] = p.Description,
                    ["free"] = true,
                    ["bindable"] = true,
                    ["metadata"] = new Dictionary<string, object> { ["connectionLimit"] = p.ConnectionLimit, ["bullets"] = new[] { $"{p.ConnectionLimit} concurrent connections" } },
                    ["maintenance_info"] = new Dictionary<string, object> { ["version"] = MaintenanceVersion },
                }).ToArray(),
            },
        },
    };
}
