using Granary.Brokers.Postgres.Catalog;
using Granary.Brokers.Postgres.Osb;
using Granary.Brokers.Postgres.Provisioning;
using Granary.Brokers.Postgres.Store;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Granary.Brokers.Postgres.Hosting;

/// <summary>Builds the broker's web application; the program and in-process tests use the same one.</summary>
public static class BrokerHost
{
    public static WebApplication Build(string[] args, Action<BrokerOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var options = builder.Configuration.GetSection(BrokerOptions.Section).Get<BrokerOptions>() ?? new BrokerOptions();
        configure?.Invoke(options);
        var problems = options.Problems();
        if (problems.Count > 0)
            throw new InvalidOperationException("The broker's configuration is incomplete:\n  " + string.Join("\n  ", problems));
        builder.WebHost.UseUrls(options.ListenUrl);
        // Npgsql logs command text at Debug, and CREATE ROLE … PASSWORD carries a secret.
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(options.AdminConnectionString));
        builder.Services.AddSingleton(sp => new DatabaseServer(sp.GetRequiredService<NpgsqlDataSource>(), options.AdminConnectionString));
        builder.Services.AddSingleton<BrokerStore>();
        builder.Services.AddSingleton<OperationWorker>();
        builder.Services.AddSingleton<OperationRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OperationRunner>());
        builder.Services.AddSingleton<OsbGate>();
        AddTelemetry(builder.Services);

        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() =>
            app.Logger.Listening(string.Join(", ", app.Urls), options.Async.ToString()));
        app.MapGet("/healthz", () => "ok");
        var v2 = app.MapGroup("/v2").AddEndpointFilter<OsbGate>();
        v2.MapGet("/catalog", () => Results.Json(PostgresCatalog.Document()));
        v2.MapInstanceEndpoints().MapBindingEndpoints();
        return app;
    }

    /// <summary>Creates the bookkeeping schema, then serves; throws if PostgreSQL cannot be reached.</summary>
    public static async Task StartBrokerAsync(this WebApplication app, CancellationToken ct = default)
    {
        await BrokerSchema.EnsureAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), ct);
        await app.StartAsync(ct);
    }

    private static void AddTelemetry(IServiceCollection services)
    {
        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("granary-postgres-broker"))
            .WithMetrics(m =>
            {
                m.AddMeter(BrokerTelemetry.Name).AddAspNetCoreInstrumentation();
                if (otlp) m.AddOtlpExporter();
            })
            .WithTracing(t =>
            {
                t.AddSource(BrokerTelemetry.Name).AddAspNetCoreInstrumentation();
                if (otlp) t.AddOtlpExporter();
            });
    }
}
