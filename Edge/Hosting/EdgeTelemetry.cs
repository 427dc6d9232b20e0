using Granary.Edge.Traffic;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Granary.Edge.Hosting;

/// <summary>
/// Metrics (per-app requests and latency, routing, Kestrel connections, the Orleans client)
/// for the loopback-only Prometheus endpoint, and OTLP export of metrics and traces (YARP, ASP.NET Core,
/// Orleans) when OTEL_EXPORTER_OTLP_ENDPOINT is set. Tracing is off otherwise: it costs on every request.
/// </summary>
public static class EdgeTelemetry
{
    public const string PrometheusPath = "/_granary/metrics";

    public static bool OtlpConfigured =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));

    public static void AddEdgeTelemetry(this IServiceCollection services, EdgeOptions options)
    {
        var otlp = OtlpConfigured;
        if (!options.Metrics && !otlp)
        {
            return;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("granary-edge", serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithMetrics(m =>
            {
                // Requests are counted and timed per app by the edge's own meter; ASP.NET Core's request meter would
                // record the same requests again (a histogram with five tags per request), so only Kestrel's
                // connection meter is added. The instrumentation package would also wrap every request in a middleware.
                m.AddMeter(EdgeMetrics.MeterName, "Microsoft.Orleans", "Microsoft.AspNetCore.Server.Kestrel");
                if (options.Metrics)
                {
                    m.AddPrometheusExporter(o => o.ScrapeEndpointPath = PrometheusPath);
                }

                if (otlp)
                {
                    m.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(t => t
                .AddSource("Yarp.ReverseProxy", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/_granary"))
                .AddOtlpExporter());
        }
    }
}
