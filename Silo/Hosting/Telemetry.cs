using Granary.Telemetry;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Granary.Silo.Hosting;

/// <summary>
/// Metrics and traces of Orleans, ASP.NET Core and Granary itself: scraped at /metrics (Prometheus),
/// and exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
/// </summary>
public static class Telemetry
{
    public static IServiceCollection AddGranaryTelemetry(this IServiceCollection services, NodeSettings node)
    {
        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("granary-silo", serviceInstanceId: node.NodeId))
            .WithMetrics(m =>
            {
                // Npgsql: connection pool and command metrics of the database that holds the cluster's state.
                m.AddMeter("Microsoft.Orleans", GranaryTelemetry.Name).AddAspNetCoreInstrumentation().AddNpgsqlInstrumentation().AddPrometheusExporter();
                if (otlp) m.AddOtlpExporter();
            })
            .WithTracing(t =>
            {
                // Npgsql: one span per database command (membership, grain state, reminders, droplets).
                t.AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", GranaryTelemetry.Name)
                    .AddNpgsql()
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics"));
                if (otlp) t.AddOtlpExporter();
            });
        return services;
    }
}
