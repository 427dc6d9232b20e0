using System.Globalization;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Granary.Edge.Routing;

/// <summary>
/// Feeds YARP from the route table: every update builds a whole new immutable config, swaps it in
/// atomically and only then signals the old one's change token (YARP's InMemoryConfigProvider pattern).
/// Requests in flight keep the config they started with, so long-lived connections survive swaps.
/// </summary>
public sealed partial class RouteTableConfigProvider : IProxyConfigProvider
{
    private readonly ILogger<RouteTableConfigProvider> _logger;
    private volatile RouteTableProxyConfig _config;

    public RouteTableConfigProvider(ILogger<RouteTableConfigProvider> logger)
    {
        _logger = logger;
        _config = new RouteTableProxyConfig(RouteTable.Empty, EdgeConfigMapper.Map(RouteTable.Empty));
    }

    /// <summary>The table the current config was built from.</summary>
    public RouteTable Table => _config.Table;

    public IProxyConfig GetConfig() => _config;

    /// <summary>Builds and swaps in the config for this table. Called by one writer at a time (the sync loop).</summary>
    public void Update(RouteTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var parts = EdgeConfigMapper.Map(table);
        foreach (var warning in parts.Warnings)
        {
            LogMappingWarning(warning);
        }

        var old = _config;
        _config = new RouteTableProxyConfig(table, parts);
        old.SignalChange();
        LogSwapped(table.Version, table.Apps.Count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Route table entry left out: {Warning}")]
    private partial void LogMappingWarning(string warning);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Routing version {Version} ({Apps} apps)")]
    private partial void LogSwapped(long version, int apps);

    private sealed class RouteTableProxyConfig : IProxyConfig
    {
        private readonly CancellationTokenSource _changed = new();
        private readonly EdgeProxyConfigParts _parts;

        public RouteTableProxyConfig(RouteTable table, EdgeProxyConfigParts parts)
        {
            Table = table;
            _parts = parts;
            RevisionId = table.Version.ToString(CultureInfo.InvariantCulture);
            ChangeToken = new CancellationChangeToken(_changed.Token);
        }

        public RouteTable Table { get; }

        public string RevisionId { get; }

        public IReadOnlyList<RouteConfig> Routes => _parts.Routes;

        public IReadOnlyList<ClusterConfig> Clusters => _parts.Clusters;

        public IChangeToken ChangeToken { get; }

        public void SignalChange() => _changed.Cancel();
    }
}
