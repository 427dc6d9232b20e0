using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Granary.Edge.Routing;

/// <summary>
/// Holds the routes every request reads, and swaps in new ones atomically (one volatile write of an immutable
/// object): requests in flight keep the routes they started with, so long-lived connections survive updates.
/// A table made from the held one by a delta is mapped incrementally (only the apps it changed); any other
/// table (a snapshot, a reset) is mapped whole.
/// </summary>
public sealed partial class EdgeRouter
{
    private readonly ILogger<EdgeRouter> _logger;
    private readonly Histogram<double> _applyDuration;
    private readonly Lock _writer = new();
    private volatile EdgeRoutes _routes = EdgeRoutes.Empty;

    public EdgeRouter(ILogger<EdgeRouter> logger, IMeterFactory meters)
    {
        _logger = logger;
        var meter = meters.Create(Traffic.EdgeMetrics.MeterName);
        _applyDuration = meter.CreateHistogram<double>("granary.edge.routes.apply.duration", "s",
            "Time to map a route table update and swap it in, by kind (delta or whole)");
        meter.CreateObservableGauge("granary.edge.routes.hosts", () => _routes.Hosts.Count, "{host}", "Host names the edge routes");
        meter.CreateObservableGauge("granary.edge.routes.version", () => _routes.Table.Version, "{version}", "Route table version served");
    }

    public EdgeRoutes Routes => _routes;

    /// <summary>The table the current routes were built from.</summary>
    public RouteTable Table => _routes.Table;

    /// <summary>Maps this table and swaps it in. Safe from any thread; updates are applied one at a time.</summary>
    public void Update(RouteTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        lock (_writer)
        {
            var started = Stopwatch.GetTimestamp();
            var current = _routes;
            var incremental = table.ParentId == current.Table.Id && !table.ChangedFromParent.IsDefault;
            var map = incremental
                ? EdgeRouteMapper.Apply(current, table, table.ChangedFromParent)
                : EdgeRouteMapper.Build(table, current);
            _routes = map.Routes;
            var elapsed = Stopwatch.GetElapsedTime(started);
            var kind = incremental ? "delta" : "whole";
            _applyDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));
            foreach (var warning in map.Warnings)
            {
                LogMappingWarning(warning);
            }

            LogSwapped(table.Version, kind, incremental ? table.ChangedFromParent.Length : table.Apps.Count, table.Apps.Count, elapsed.TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Route table entry left out: {Warning}")]
    private partial void LogMappingWarning(string warning);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Routing version {Version} ({Kind}: {Mapped} of {Apps} apps mapped in {Milliseconds:0.###} ms)")]
    private partial void LogSwapped(long version, string kind, int mapped, int apps, double milliseconds);
}
