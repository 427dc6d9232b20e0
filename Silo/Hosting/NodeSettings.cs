using Granary.Cluster;

namespace Granary.Silo.Hosting;

/// <summary>Who this silo is: its node, roles, data directory and the URLs it advertises. From "Granary".</summary>
public sealed class NodeSettings
{
    /// <summary>Where this node keeps its files (packages, droplets, instances).</summary>
    public string Home { get; set; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".granary", "node");

    public string NodeId { get; set; } = Environment.MachineName.ToLowerInvariant();

    /// <summary>Comma-separated roles: primary, controller, dea, stager, router.</summary>
    public string Roles { get; set; } = string.Join(',', SiloRoles.All);

    /// <summary>Apps are reached at APP.DOMAIN through the edge.</summary>
    public string Domain { get; set; } = "localhost";

    /// <summary>This node's API, as users reach it.</summary>
    public string? ApiUrl { get; set; }

    /// <summary>The edge as users reach it; the port of app URLs comes from here.</summary>
    public string? EdgeUrl { get; set; }

    /// <summary>Bearer token of the admin; read from GRANARY_ADMIN_TOKEN so it never shows in a process list.</summary>
    public string AdminToken { get; set; } = "";

    public bool Has(string role) => SiloRoles.HasRole(Roles, role);

    public static NodeSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection("Granary").Get<NodeSettings>() ?? new NodeSettings();
        if (Environment.GetEnvironmentVariable("GRANARY_ADMIN_TOKEN") is { Length: > 0 } token)
        {
            settings.AdminToken = token;
        }

        // A controller that joined with a join token has no admin token: its API takes users' tokens only.
        if (settings.Has(SiloRoles.Controller) && settings.AdminToken.Length is > 0 and < 16)
        {
            throw new InvalidOperationException(
                "An admin token must have at least 16 characters: set GRANARY_ADMIN_TOKEN (./granary micro up does this for you), or none at all.");
        }

        settings.Home = Path.GetFullPath(settings.Home);
        return settings;
    }

    /// <summary>The URL users reach a route (a host name) at through the edge.</summary>
    public string RouteUrl(string host)
    {
        var edge = EdgeUrl is not null && Uri.TryCreate(EdgeUrl, UriKind.Absolute, out var uri) ? uri : null;
        var port = edge is null || edge.IsDefaultPort ? "" : $":{edge.Port}";
        return $"{edge?.Scheme ?? "http"}://{host}{port}";
    }
}
