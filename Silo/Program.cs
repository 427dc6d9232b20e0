using Granary.Cluster;
using Granary.Silo.Apis;
using Granary.Silo.Hosting;
using Orleans.Dashboard;

// A Granary node: the Orleans silo with this node's roles, and (with the controller role) the HTTP API.
var builder = WebApplication.CreateBuilder(args);
var node = NodeSettings.From(builder.Configuration);
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.UseUtcTimestamp = true;
    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
});
// Orleans 10 runs placement through a Polly pipeline that logs every activation at Information.
builder.Logging.AddFilter("Polly", LogLevel.Warning);
// Every API call would log four lines at Information; the API's own errors are logged with their trace ids.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var isolation = NodeServices.DetectIsolation(builder.Configuration, node);
builder.Services.AddGranaryNode(builder.Configuration, node, isolation);
builder.UseOrleans(silo => silo.ConfigureGranarySilo(builder.Configuration, node, isolation.Level));
builder.Services.AddGranaryNodeLifecycle();
// Cluster-wide settings (granary config set) win over this node's own and reach IOptionsMonitor readers without a restart.
var clusterConfig = new Granary.Config.ClusterConfigurationSource();
((IConfigurationBuilder)builder.Configuration).Add(clusterConfig);
builder.Services.AddHostedService(sp => new Granary.Config.ClusterConfigWatcher(
    _ => Task.FromResult(sp.GetRequiredService<IGrainFactory>()), clusterConfig,
    sp.GetRequiredService<ILogger<Granary.Config.ClusterConfigWatcher>>()));
builder.Services.AddGranaryApi();
builder.Services.AddGranaryDataServices(builder.Configuration);
builder.Services.AddGranaryTelemetry(node);
// Evacuation (DeaOptions.EvacuationTimeout) and graceful stops (SIGTERM, grace, SIGKILL) must fit in the shutdown window.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
// Events record who caused them: the caller's name flows with every grain call made for this request.
app.Use((context, next) =>
{
    if (context.User.Identity is { IsAuthenticated: true, Name: { } name })
        Granary.Users.Actor.Set(name);
    return next(context);
});
app.MapInfoApi();
app.MapOpenApi().AllowAnonymous();
app.MapPrometheusScrapingEndpoint("/metrics");
app.MapOrleansDashboard("/dashboard").RequireAuthorization(Granary.Silo.Auth.GranaryClaims.AdminPolicy);
if (node.Has(SiloRoles.Controller))
{
    app.MapGroup("/v1").MapAppsApi().MapLogsApi().MapPackagesApi().MapRoutesApi().MapHealthApi().MapDataServicesApi().MapClusterApi()
        .MapStatsApi().MapAuthApi().MapUsersApi().MapOrgsApi().MapAuditApi().MapQuotasApi();
}

app.Run();
