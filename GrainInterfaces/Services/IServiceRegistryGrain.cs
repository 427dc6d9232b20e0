using System.Collections.Immutable;

namespace Granary.Services;

/// <summary>The names of brokers and service instances (one grain, key 0): names are unique cluster-wide.</summary>
public interface IServiceRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Claims a broker name; throws ServiceConflictException when it is taken.</summary>
    Task ReserveBroker(string name);

    Task ReleaseBroker(string name);

    Task<ImmutableArray<string>> Brokers();

    /// <summary>Claims an instance name for the given id; throws ServiceConflictException when another has it.</summary>
    Task ReserveInstance(string name, Guid instanceId);

    Task ReleaseInstance(string name, Guid instanceId);

    /// <summary>The id of the instance with that name, or null.</summary>
    Task<Guid?> FindInstance(string name);

    Task<ImmutableArray<Guid>> Instances();
}
