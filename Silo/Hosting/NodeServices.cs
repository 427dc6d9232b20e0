using Granary.Instances;
using Granary.Logs;
using Granary.Nodes;
using Granary.Silo.Dea;
using Granary.Silo.Dea.Isolation;
using Granary.Silo.Logs;
using Granary.Silo.Staging;

namespace Granary.Silo.Hosting;

/// <summary>The node's own machinery: DEA runtime, staging, logs; directories derived from the node's home.</summary>
public static class NodeServices
{
    /// <summary>
    /// Finds out once, before the silo starts, how this node can isolate instances (it proves it by running a sandboxed
    /// command), so the level can travel in the silo's metadata. A node without the DEA role runs no instances.
    /// </summary>
    public static InstanceIsolation DetectIsolation(IConfiguration configuration, NodeSettings node)
    {
        var dea = configuration.GetSection("Granary:Dea").Get<DeaOptions>() ?? new DeaOptions();
        dea.InstancesDirectory = Default(dea.InstancesDirectory, node.Home, "instances");
        return node.Has(Granary.Cluster.SiloRoles.Dea)
            ? InstanceIsolation.Detect(dea, node)
            : InstanceIsolation.None(dea, node, "this node has no DEA role");
    }

    public static IServiceCollection AddGranaryNode(this IServiceCollection services, IConfiguration configuration, NodeSettings node,
        InstanceIsolation isolation)
    {
        services.AddSingleton(node);
        services.AddSingleton(TimeProvider.System);
        services.AddHttpClient();
        services.Configure<GranaryGrainOptions>(configuration.GetSection("Granary"));
        services.Configure<Granary.Health.HealthOptions>(configuration.GetSection("Granary:Health"));
        services.Configure<Granary.Users.AuthOptions>(configuration.GetSection(Granary.Users.AuthOptions.Section));
        services.AddSingleton<Granary.Users.IPasswordHashing, Granary.Silo.Auth.IdentityPasswordHashing>();

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
        services.AddSingleton(isolation);
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
