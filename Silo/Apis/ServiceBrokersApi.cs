using Granary.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Silo.Apis;

/// <summary>/v1/service_brokers and /v1/marketplace: registering OSB brokers and what they offer.</summary>
public static class ServiceBrokersApi
{
    public static RouteGroupBuilder MapServiceBrokersApi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/service_brokers", Register).WithTags("Services");
        v1.MapGet("/service_brokers", List).WithTags("Services");
        v1.MapDelete("/service_brokers/{name}", Delete).WithTags("Services");
        v1.MapGet("/marketplace", Marketplace).WithTags("Services");
        return v1;
    }

    private static async Task<Created<ServiceBrokerView>> Register(CreateServiceBrokerRequest request, IGrainFactory grains)
    {
        if (ServiceNames.Problem(request.Name, "service broker") is { } nameProblem)
            throw new InvalidServiceRequestException(nameProblem);
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new InvalidServiceRequestException($"'{request.Url}' is not an http(s) URL; give the broker's base URL, e.g. http://127.0.0.1:7790");
        if (string.IsNullOrEmpty(request.Username) || string.IsNullOrEmpty(request.Password))
            throw new InvalidServiceRequestException("give the user name and password the broker expects (OSB Basic auth)");
        var registry = grains.GetGrain<IServiceRegistryGrain>(0);
        await registry.ReserveBroker(request.Name!);
        try
        {
            var info = await grains.GetGrain<IServiceBrokerGrain>(request.Name!)
                .Register(new BrokerRegistration(request.Name!, url.ToString(), request.Username, request.Password));
            return TypedResults.Created($"/v1/service_brokers/{info.Name}", info.ToView());
        }
        catch
        {
            await registry.ReleaseBroker(request.Name!);
            throw;
        }
    }

    private static async Task<Ok<List<ServiceBrokerView>>> List(IGrainFactory grains) =>
        TypedResults.Ok((await BrokersAsync(grains)).Select(b => b.ToView()).ToList());

    private static async Task<NoContent> Delete(string name, IGrainFactory grains)
    {
        var broker = grains.GetGrain<IServiceBrokerGrain>(name);
        if (await broker.Get() is null)
            throw new ServiceNotFoundException($"no service broker named {name} (granary service-brokers lists them)");
        await broker.Delete();
        await grains.GetGrain<IServiceRegistryGrain>(0).ReleaseBroker(name);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<ServiceOfferingView>>> Marketplace(IGrainFactory grains) =>
        TypedResults.Ok((await BrokersAsync(grains)).SelectMany(b => b.Services.Select(s => s.ToView(b.Name))).ToList());

    internal static async Task<List<ServiceBrokerInfo>> BrokersAsync(IGrainFactory grains)
    {
        var brokers = new List<ServiceBrokerInfo>();
        foreach (var name in await grains.GetGrain<IServiceRegistryGrain>(0).Brokers())
            if (await grains.GetGrain<IServiceBrokerGrain>(name).Get() is { } info)
                brokers.Add(info);
        return brokers;
    }
}
