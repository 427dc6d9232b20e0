using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Granary.Tests.Services;

/// <summary>
/// A tiny OSB broker, over real HTTP, whose plans misbehave on purpose: slow, failing, dropping the
/// connection, failing asynchronously. It records every request so tests can see orphan mitigation.
/// Its first deprovision of each instance answers 500, so mitigation must keep trying.
/// </summary>
public sealed class MisbehavingBroker : IAsyncDisposable
{
    public const string ServiceId = "misbehaving-service";
    public static readonly string[] Plans = ["slow", "fail", "drop", "refuse", "async-ok", "async-fail"];

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _polls = new();
    private readonly ConcurrentDictionary<string, int> _deletes = new();

    public ConcurrentQueue<string> Requests { get; } = new();
    public string Url { get; }

    private MisbehavingBroker(WebApplication app)
    {
        _app = app;
        Url = app.Urls.First();
    }

    public static async Task<MisbehavingBroker> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        MisbehavingBroker? broker = null;
        app.Use(async (context, next) =>
        {
            broker!.Requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            await next(context);
        });
        app.MapGet("/v2/catalog", () => Results.Json(new
        {
            services = new[]
            {
                new
                {
                    id = ServiceId, name = "misbehaving", description = "a broker that misbehaves", bindable = true,
                    plans = Plans.Select(p => new { id = p, name = p, description = p }).ToArray(),
                },
            },
        }));
        app.MapPut("/v2/service_instances/{id}", async (string id, HttpContext context) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var plan = Plans.First(p => body.Contains($"\"{p}\""));
            switch (plan)
            {
                case "slow":
                    await Task.Delay(TimeSpan.FromSeconds(5));
                    return Results.Json(new { }, statusCode: 201);
                case "fail":
                    return Results.Json(new { description = "disk full" }, statusCode: 500);
                case "drop":
                    context.Abort();
                    return Results.Empty;
                case "refuse":
                    return Results.Json(new { description = "quota exceeded" }, statusCode: 400);
                default:
                    return Results.Json(new { operation = "op-" + plan }, statusCode: 202);
            }
        });
        app.MapGet("/v2/service_instances/{id}/last_operation", (string id, HttpContext context) =>
        {
            var polls = broker!._polls.AddOrUpdate(id, 1, (_, n) => n + 1);
            var operation = context.Request.Query["operation"].ToString();
            var state = polls < 3 ? "in progress" : operation == "op-async-ok" ? "succeeded" : "failed";
            return Results.Json(new { state, description = $"poll {polls}" });
        });
        app.MapDelete("/v2/service_instances/{id}", (string id) =>
            broker!._deletes.AddOrUpdate(id, 1, (_, n) => n + 1) == 1
                ? Results.Json(new { description = "try again" }, statusCode: 500)
                : Results.Json(new { }, statusCode: 200));
        await app.StartAsync();
        broker = new MisbehavingBroker(app);
        return broker;
    }

    public int DeletesOf(Guid instanceId) => _deletes.GetValueOrDefault(instanceId.ToString());

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
