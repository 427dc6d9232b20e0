using System.Text.Json;
using Granary.Apps;
using Granary.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Silo.Apis;

/// <summary>/v1/service_instances: managed (through a broker) and user-provided service instances.</summary>
public static class ServiceInstancesApi
{
    public static RouteGroupBuilder MapServiceInstancesApi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/service_instances", Create).WithTags("Services");
        v1.MapPost("/user_provided_service_instances", CreateUserProvided).WithTags("Services");
        v1.MapGet("/service_instances", List).WithTags("Services");
        v1.MapGet("/service_instances/{name}", Get).WithTags("Services");
        v1.MapDelete("/service_instances/{name}", Delete).WithTags("Services");
        return v1;
    }

    private static async Task<Results<Created<ServiceInstanceView>, Accepted<ServiceInstanceView>>> Create(CreateServiceInstanceRequest request, IGrainFactory grains)
    {
        if (ServiceNames.Problem(request.Name, "service instance") is { } nameProblem)
            throw new InvalidServiceRequestException(nameProblem);
        var (broker, offering, plan) = await FindPlanAsync(grains, request);
        var id = Guid.NewGuid();
        var registry = grains.GetGrain<IServiceRegistryGrain>(0);
        await registry.ReserveInstance(request.Name!, id);
        ServiceInstanceDetails details;
        try
        {
            details = await grains.GetGrain<IServiceInstanceGrain>(id).CreateManaged(request.Name!, broker, offering, plan);
        }
        catch
        {
            await registry.ReleaseInstance(request.Name!, id);
            throw;
        }
        var view = await ViewAsync(details, grains);
        return details.Status == ServiceInstanceStatus.Ready
            ? TypedResults.Created($"/v1/service_instances/{details.Name}", view)
            : TypedResults.Accepted($"/v1/service_instances/{details.Name}", view);
    }

    private static async Task<Created<ServiceInstanceView>> CreateUserProvided(CreateUserProvidedServiceRequest request, IGrainFactory grains)
    {
        if (ServiceNames.Problem(request.Name, "service instance") is { } nameProblem)
            throw new InvalidServiceRequestException(nameProblem);
        if (request.Credentials is not { ValueKind: JsonValueKind.Object } credentials)
            throw new InvalidServiceRequestException("credentials must be a JSON object, e.g. {\"uri\":\"postgres://user:pass@host:5432/db\"}");
        var id = Guid.NewGuid();
        var registry = grains.GetGrain<IServiceRegistryGrain>(0);
        await registry.ReserveInstance(request.Name!, id);
        var details = await grains.GetGrain<IServiceInstanceGrain>(id).CreateUserProvided(request.Name!, new ServiceCredentials(credentials.GetRawText()));
        return TypedResults.Created($"/v1/service_instances/{details.Name}", await ViewAsync(details, grains));
    }

    private static async Task<Ok<List<ServiceInstanceView>>> List(IGrainFactory grains)
    {
        var views = new List<ServiceInstanceView>();
        foreach (var id in await grains.GetGrain<IServiceRegistryGrain>(0).Instances())
            if (await grains.GetGrain<IServiceInstanceGrain>(id).Get() is { } details)
                views.Add(await ViewAsync(details, grains));
        return TypedResults.Ok(views.OrderBy(v => v.Name, StringComparer.Ordinal).ToList());
    }

    private static async Task<Ok<ServiceInstanceView>> Get(string name, IGrainFactory grains)
    {
        var details = await (await FindAsync(grains, name)).Get() ?? throw NotFound(name);
        return TypedResults.Ok(await ViewAsync(details, grains));
    }

    private static async Task<Results<NoContent, Accepted<ServiceInstanceView>>> Delete(string name, IGrainFactory grains)
    {
        var remaining = await (await FindAsync(grains, name)).Delete();
        return remaining is null
            ? TypedResults.NoContent()
            : TypedResults.Accepted($"/v1/service_instances/{name}", await ViewAsync(remaining, grains));
    }

    internal static async Task<IServiceInstanceGrain> FindAsync(IGrainFactory grains, string name) =>
        await grains.GetGrain<IServiceRegistryGrain>(0).FindInstance(name) is { } id
            ? grains.GetGrain<IServiceInstanceGrain>(id)
            : throw NotFound(name);

    private static ServiceNotFoundException NotFound(string name) =>
        new($"no service instance named {name} (granary services lists them)");

    /// <summary>The broker, offering and plan the request names; with several brokers offering it, the request must say which.</summary>
    private static async Task<(string Broker, ServiceOffering Offering, ServicePlan Plan)> FindPlanAsync(IGrainFactory grains, CreateServiceInstanceRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Service) || string.IsNullOrWhiteSpace(request.Plan))
            throw new InvalidServiceRequestException("give the service and plan, as granary marketplace lists them");
        var brokers = await ServiceBrokersApi.BrokersAsync(grains);
        var matches = brokers
            .Where(b => request.Broker is null || b.Name == request.Broker)
            .SelectMany(b => b.Services.Where(s => s.Name == request.Service).Select(s => (b.Name, Offering: s)))
            .ToList();
        if (matches.Count == 0)
            throw new InvalidServiceRequestException($"no broker offers a service named {request.Service}; granary marketplace lists what is offered");
        if (matches.Count > 1)
            throw new InvalidServiceRequestException($"brokers {string.Join(", ", matches.Select(m => m.Name))} all offer {request.Service}; say which with broker");
        var (broker, offering) = matches[0];
        var plan = offering.Plans.FirstOrDefault(p => p.Name == request.Plan)
            ?? throw new InvalidServiceRequestException($"{request.Service} has no plan {request.Plan}; its plans: {string.Join(", ", offering.Plans.Select(p => p.Name))}");
        return (broker, offering, plan);
    }

    internal static async Task<ServiceInstanceView> ViewAsync(ServiceInstanceDetails details, IGrainFactory grains)
    {
        var apps = new List<string>();
        foreach (var appId in details.BoundApps)
            apps.Add((await grains.GetGrain<IAppGrain>(appId).Get())?.Spec.Name ?? appId.ToString());
        return new ServiceInstanceView(details.Id, details.Name, details.Kind, details.Broker, details.Service, details.Plan,
            details.Status, details.Message, apps, details.CreatedAt, details.UpdatedAt);
    }
}
