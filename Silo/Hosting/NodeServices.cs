using Granary.Instances;
using Granary.Logs;
using Granary.Nodes;
using Granary.Silo.Dea;
using Granary.Silo.Logs;
using Granary.Silo.Staging;

namespace Granary.Silo.Hosting;

/// <summary>The node's own machinery: DEA runtime, staging, logs; directories derived from the node's home.</summary>
public static class NodeServices
{
    public static IServiceCollection AddGranaryNode(this IServiceCollection services, IConfiguration configuration, NodeSettings node)
    {
        services.AddSingleton(node);
        services.AddSingleton(TimeProvider.System);
        services.AddHttpClient();
        services.Configure<GranaryGrainOptions>(configuration.GetSection("Granary"));
        services.Configure<Granary.Health.HealthOptions>(configuration.GetSection("Granary:Health"));

        services.Configure<StagingOptions>(configuration.GetSection("Granary:Staging"));
        services.PostConfigure<StagingOptions>(o =>
        {
            o.PackagesDirectory = Default(o.PackagesDirectory, node.Home, "packages");
            o.DropletsDirectory = Default(o.DropletsDirectory, node.Home, "droplets");
            o.WorkDirectory = Default(o.WorkDirectory, node.Home, "staging");
        });
        services.AddGranaryStaging();

        services.Configure<DeaOptions>(configuration.GetSection("Granary:Dea"));
        services.PostConfigure<DeaOptions>(o => o.InstancesDirectory = Default(o.InstancesDirectory, node.Home, "instances"));
        services.AddSingleton(sp => Granary.Silo.Dea.Isolation.InstanceIsolation.Detect(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeaOptions>>().Value, node));
        services.AddSingleton<FreePorts>();
        services.AddSingleton<HealthProbe>();
        services.AddSingleton<IInstanceReportSink, GrainInstanceReportSink>();
        services.AddSingleton<ProcessInstanceRuntime>();
        services.AddSingleton<IInstanceRuntime>(sp => sp.GetRequiredService<ProcessInstanceRuntime>());
        services.AddSingleton<NodeReadiness>();

        services.AddSingleton<BatchingLogEmitter>();
        services.AddSingleton<ILogEmitter>(sp => sp.GetRequiredService<BatchingLogEmitter>());
        return services;
    }

    /// <summary>
    /// Hosted services that talk to grains. Registered after the silo, so they start once it runs
    /// and stop before it does (hosted services stop in reverse order).
    /// </summary>
    public static IServiceCollection AddGranaryNodeLifecycle(this IServiceCollection services)
    {
        services.AddHostedService(sp => sp.GetRequiredService<BatchingLogEmitter>());
        services.AddHostedService<DeaLifecycle>();
        return services;
    }

    private static string Default(string configured, string home, string folder) =>
        string.IsNullOrWhiteSpace(configured) ? Path.Combine(home, folder) : configured;
}
