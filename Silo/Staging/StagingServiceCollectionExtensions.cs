using Granary.Staging;

namespace Granary.Silo.Staging;

public static class StagingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the package store, the file-system droplet store and the stager as singletons. The caller
    /// configures <see cref="StagingOptions"/> and registers ILogEmitter and TimeProvider.
    /// </summary>
    public static IServiceCollection AddGranaryStaging(this IServiceCollection services)
    {
        services.AddOptions<StagingOptions>();
        services.AddSingleton<PackageStore>();
        services.AddSingleton<IDropletStore, FileSystemDropletStore>();
        services.AddSingleton<IStagingRuntime, Stager>();
        return services;
    }
}
