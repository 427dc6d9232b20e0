using System.Collections.Immutable;
using Granary.Apps;
using Granary.Instances;
using Granary.Routes;

namespace Granary.Apps;

public sealed partial class AppGrain
{
    // The last known actual state of this app's instances, fed by their reports; backends come from here.
    private readonly Dictionary<Guid, InstanceInfo> _actual = [];
    private AppRoutes? _published;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.App is not null && state.State.Slots.Count > 0)
        {
            // A fresh activation must know which instances run before it publishes routes again.
            foreach (var instance in await GetInstances())
            {
                _actual[instance.InstanceId] = instance;
            }
        }
    }

    public async Task<AppDetails> MapRoute(string host)
    {
        var app = Existing();
        host = RouteTable.Normalize(host);
        if (!AppValidation.IsValidHost(host))
        {
            throw new InvalidAppException($"'{host}' is not a valid host name: use labels of a-z, 0-9 and '-', separated by dots");
        }

        if (app.Routes.Contains(host))
        {
            return app;
        }

        state.State.App = app with { Routes = app.Routes.Add(host), Version = app.Version + 1, UpdatedAt = time.GetUtcNow() };
        await PublishRoutesOrRevertAsync(app);
        AddEvent(AppEventTypes.RouteMapped, $"route {host} mapped", ("host", host));
        await SaveAsync();
        return state.State.App;
    }

    public async Task<AppDetails> UnmapRoute(string host)
    {
        var app = Existing();
        host = RouteTable.Normalize(host);
        if (!app.Routes.Contains(host))
        {
            throw new InvalidAppException($"the route {host} is not mapped to '{app.Spec.Name}' (its routes: {string.Join(", ", app.Routes)})");
        }

        state.State.App = app with { Routes = app.Routes.Remove(host), Version = app.Version + 1, UpdatedAt = time.GetUtcNow() };
        await PublishRoutesAsync();
        AddEvent(AppEventTypes.RouteUnmapped, $"route {host} unmapped", ("host", host));
        await SaveAsync();
        return state.State.App;
    }

    private string DefaultHost(string name) => RouteTable.Normalize($"{name}.{options.Value.Domain}");

    /// <summary>Publishes the app's routes; if the table refuses (a host is taken), puts the app back as it was.</summary>
    private async Task PublishRoutesOrRevertAsync(AppDetails before)
    {
        try
        {
            await PublishRoutesAsync();
        }
        catch (RouteTakenException)
        {
            state.State.App = before;
            throw;
        }
    }

    /// <summary>Tells the route table this app's hosts and RUNNING instances, when they changed.</summary>
    private async Task PublishRoutesAsync()
    {
        var table = GrainFactory.GetGrain<IRouteTableGrain>(RouteTableGrain.Key);
        if (state.State.App is not { } app)
        {
            await table.RemoveApp(Id);
            _published = null;
            return;
        }

        var backends = state.State.Slots
            .Select(s => _actual.GetValueOrDefault(s.InstanceId))
            .Where(i => i is { State: InstanceState.Running, Host: not null, Port: not null })
            .Select(i => new RouteBackend(i!.InstanceId, i.Index, i.Host!, i.Port!.Value))
            .OrderBy(b => b.Index)
            .ToImmutableArray();
        var routes = new AppRoutes(Id, app.Spec.Name, app.Routes, backends, app.Policy);
        if (_published is not null && RouteTable.Same(_published, routes))
        {
            return;
        }

        await table.SetApp(routes);
        _published = routes;
    }
}
