using System.Collections.Immutable;
using Granary.Edge.Routing;
using Granary.Routes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Granary.Tests.Edge;

/// <summary>Route table records for edge tests; every call makes fresh ids unless given.</summary>
internal static class RouteData
{
    public static AppRoutes App(string name, int instances = 1, RoutePolicy? policy = null, Guid? id = null, params string[] hosts) =>
        new(id ?? Guid.NewGuid(), name, [.. hosts.Length == 0 ? [$"{name}.localhost"] : hosts],
            [.. Enumerable.Range(0, instances).Select(i => Backend(i, 40000 + i))], policy ?? RoutePolicy.Default);

    public static AppRoutes WithBackends(this AppRoutes app, params RouteBackend[] backends) => app with { Backends = [.. backends] };

    public static RouteBackend Backend(int index, int port, string host = "127.0.0.1") => new(Guid.NewGuid(), index, host, port);

    public static RouteTableChanges Full(long version, params AppRoutes[] apps) => new(version, true, [.. apps], []);

    public static RouteTableChanges Delta(long version, AppRoutes[]? changed = null, Guid[]? removed = null) =>
        new(version, false, [.. changed ?? []], [.. removed ?? []]);

    public static Granary.Edge.Routing.RouteTable Table(long version, params AppRoutes[] apps) =>
        Granary.Edge.Routing.RouteTable.FromSnapshot(Full(version, apps));

    public static EdgeRouter Router() =>
        new(NullLogger<EdgeRouter>.Instance, new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

    public static ImmutableArray<T> Array<T>(params T[] items) => [.. items];
}
