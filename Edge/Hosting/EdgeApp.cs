using System.Net;
using Granary.Edge.Routing;
using Granary.Edge.Sync;
using Granary.Edge.Traffic;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Granary.Edge.Hosting;

/// <summary>The edge process: YARP's forwarder routed by the route table, an Orleans client keeping the table in step.</summary>
public static class EdgeApp
{
    /// <summary>Edge health, on every host name: it cannot collide with an app route because it is answered first.</summary>
    public const string HealthPath = "/_granary/health";

    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Socket completions run on the socket engine's threads instead of hopping to the thread pool: a proxy does
    /// little but non-blocking I/O between two sockets, and the hops cost a fifth of its CPU per request. Must run
    /// before the first socket is created; an operator's own setting of the variable wins.
    /// </summary>
    public static void PreferInlineSocketCompletions()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
    }

    /// <param name="args">Command line, e.g. <c>--urls http://0.0.0.0:7780 --Orleans:GatewayPort=30000</c>.</param>
    /// <param name="configure">Lets tests replace services (the control plane) before the app is built.</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        // YARP and ASP.NET Core log every request at Information: only the access log may do that.
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        // Its forwarding errors come with whole stack traces (10 KB for a client's oversized body); EdgeProxy logs
        // each failed request as one line with the app, the instance and the cause instead.
        builder.Logging.AddFilter("Yarp.ReverseProxy.Forwarder.HttpForwarder", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // While this logger is enabled at all, ASP.NET Core starts an Activity per request and HttpClient then
        // tags it and injects trace headers: a quarter of the edge's CPU. Traces (OTLP) still get activities.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        // While the control plane is down the client retries twice a second; RouteSync says so once.
        builder.Logging.AddFilter("Orleans.Runtime.Messaging", LogLevel.Error);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // Unlimited here; RequestBodyLimiter applies Granary:Edge:MaxRequestBodySize per request, live.
            k.Limits.MaxRequestBodySize = null;
        });
        if (Environment.GetEnvironmentVariable(InlineCompletions) == "1")
        {
            builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        }

        builder.AddEdgeClusterConfig();
        var section = builder.Configuration.GetSection(EdgeOptions.Section);
        var options = section.Get<EdgeOptions>() ?? new EdgeOptions();
        var services = builder.Services;
        services.Configure<EdgeOptions>(section);
        services.AddSingleton(TrustedProxies.FromConfiguration(section.GetSection(nameof(EdgeOptions.TrustedProxies))));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EdgeRouter>();
        services.AddSingleton<EdgeStatus>();
        services.AddSingleton<IControlPlane, OrleansControlPlane>();
        services.AddSingleton<RouteSync>();
        services.AddHostedService(sp => sp.GetRequiredService<RouteSync>());
        services.AddSingleton<AccessLog>();
        services.AddHostedService(sp => sp.GetRequiredService<AccessLog>());
        services.AddSingleton<EdgeMetrics>();
        services.AddSingleton<RequestBodyLimiter>();
        // YARP's forwarder only: routing, load balancing and health are the edge's own (Traffic/EdgeProxy).
        services.AddHttpForwarder();
        services.AddSingleton<BackendClient>();
        services.AddSingleton<EdgeTransformer>();
        services.AddSingleton<EdgeProxy>();
        services.AddEdgeTelemetry(options);
        configure?.Invoke(builder);

        var app = builder.Build();
        var status = app.Services.GetRequiredService<EdgeStatus>();
        app.Use((context, next) => context.Request.Path.Equals(HealthPath) ? WriteHealthAsync(context, status) : next(context));
        if (options.Metrics)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(
                context => context.Request.Path.Equals(EdgeTelemetry.PrometheusPath)
                    && context.Connection.RemoteIpAddress is { } peer && IPAddress.IsLoopback(peer));
        }

        app.Run(app.Services.GetRequiredService<EdgeProxy>().InvokeAsync);
        return app;
    }

    private static Task WriteHealthAsync(HttpContext context, EdgeStatus status)
    {
        var report = status.Report();
        if (report.Degraded && report.StatusCode == StatusCodes.Status200OK)
        {
            context.Response.Headers[EdgeHeaders.EdgeState] = "degraded";
        }

        return EdgeResponses.WriteAsync(context, report.StatusCode, report.Body);
    }
}
