using System.Collections.Immutable;

namespace Granary.Services;

/// <summary>
/// The service bindings of one app (key: the app id), and the environment they give its instances
/// (GRANARY_SERVICES, DATABASE_URL). Read when an instance starts: a bind takes effect at the next restart.
/// </summary>
public interface IAppBindingsGrain : IGrainWithGuidKey
{
    Task Add(ServiceBinding binding);

    Task Remove(Guid instanceId);

    Task<ImmutableArray<ServiceBinding>> List();

    /// <summary>The variables bindings add to an instance's environment. Holds secrets: never log it.</summary>
    Task<ImmutableDictionary<string, string>> Environment();
}
