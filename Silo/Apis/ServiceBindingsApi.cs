using Granary.Apps;
using Granary.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Silo.Apis;

/// <summary>/v1/apps/{id}/service_bindings: which services an app is bound to. Never returns credentials.</summary>
public static class ServiceBindingsApi
{
    public static RouteGroupBuilder MapServiceBindingsApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/apps/{id:guid}/service_bindings", List).WithTags("Services");
        v1.MapPost("/apps/{id:guid}/service_bindings", Bind).WithTags("Services");
        v1.MapDelete("/apps/{id:guid}/service_bindings/{name}", Unbind).WithTags("Services");
        return v1;
    }

    private static async Task<Ok<List<ServiceBindingView>>> List(Guid id, IGrainFactory grains)
    {
        await RequireAppAsync(grains, id);
        var bindings = await grains.GetGrain<IAppBindingsGrain>(id).List();
        return TypedResults.Ok(bindings.OrderBy(b => b.InstanceName, StringComparer.Ordinal).Select(b => b.ToView()).ToList());
    }

    private static async Task<Results<Created<ServiceBindingView>, Ok<ServiceBindingView>>> Bind(Guid id, CreateServiceBindingRequest request, IGrainFactory grains)
    {
        await RequireAppAsync(grains, id);
        if (string.IsNullOrWhiteSpace(request.ServiceInstance))
            throw new InvalidServiceRequestException("give the service instance to bind, e.g. { \"serviceInstance\": \"db1\" }");
        var instance = await ServiceInstancesApi.FindAsync(grains, request.ServiceInstance);
        var before = (await instance.Get())?.BoundApps.Contains(id) == true;
        var binding = (await instance.Bind(id)).ToView();
        return before ? TypedResults.Ok(binding) : TypedResults.Created($"/v1/apps/{id}/service_bindings/{binding.ServiceInstance}", binding);
    }

    private static async Task<NoContent> Unbind(Guid id, string name, IGrainFactory grains)
    {
        await RequireAppAsync(grains, id);
        await (await ServiceInstancesApi.FindAsync(grains, name)).Unbind(id);
        return TypedResults.NoContent();
    }

    private static async Task RequireAppAsync(IGrainFactory grains, Guid id)
    {
        if (await grains.GetGrain<IAppGrain>(id).Get() is null)
            throw new AppNotFoundException($"app {id} does not exist");
    }
}
