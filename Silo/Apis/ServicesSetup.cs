using Granary.Services;

namespace Granary.Silo.Apis;

/// <summary>What data services need in the silo's container: broker HTTP and its options.</summary>
public static class ServicesSetup
{
    public static IServiceCollection AddGranaryDataServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ServiceBrokerOptions>(configuration.GetSection(ServiceBrokerOptions.Section));
        services.AddSingleton<ServiceBrokerHttp>();
        return services;
    }

    /// <summary>/v1/service_brokers, /v1/marketplace, /v1/service_instances and an app's service_bindings.</summary>
    public static RouteGroupBuilder MapDataServicesApi(this RouteGroupBuilder v1) =>
        v1.MapServiceBrokersApi().MapServiceInstancesApi().MapServiceBindingsApi();
}
