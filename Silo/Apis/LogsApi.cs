using System.Text.Json;
using Granary.Apps;
using Granary.Silo.Auth;
using Granary.Logs;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Granary.Silo.Apis;

/// <summary>/v1/apps/{id}/logs: recent lines, or a follow stream of NDJSON lines as they happen.</summary>
public static class LogsApi
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private static readonly byte[] KeepAliveLine = "{}\n"u8.ToArray();
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static RouteGroupBuilder MapLogsApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/apps/{id:guid}/logs", Logs).WithTags("Logs").AppScoped().Produces(200, contentType: "application/x-ndjson");
        return v1;
    }

    private static async Task Logs(Guid id, int? recent, bool? follow, HttpContext http, IGrainFactory grains,
        IOptions<JsonOptions> json)
    {
        _ = await grains.GetGrain<IAppGrain>(id).Get() ?? throw AppsApi.NotFound(id);
        var log = grains.GetGrain<IAppLogGrain>(id);
        var serializer = json.Value.SerializerOptions;
        var aborted = http.RequestAborted;

        http.Response.ContentType = "application/x-ndjson";
        http.Response.Headers.CacheControl = "no-cache";
        var lines = await log.GetRecent(Math.Clamp(recent ?? (follow == true ? 0 : 200), 0, AppLogGrain.Capacity));
        var last = await WriteAsync(http.Response, lines, serializer, aborted);
        if (follow != true)
        {
            return;
        }

        if (lines.IsEmpty)
        {
            // Start after what exists now, not from the beginning of the ring.
            var latest = await log.GetRecent(1);
            last = latest.IsEmpty ? 0 : latest[0].Seq;
        }

        await http.Response.Body.FlushAsync(aborted);
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                var next = await log.WaitForLines(last, KeepAlive);
                if (next.IsEmpty)
                {
                    await http.Response.Body.WriteAsync(KeepAliveLine, aborted);
                }
                else
                {
                    last = await WriteAsync(http.Response, next, serializer, aborted);
                }

                await http.Response.Body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
    }

    private static async Task<long> WriteAsync(HttpResponse response, IReadOnlyList<LogLine> lines,
        JsonSerializerOptions serializer, CancellationToken cancellationToken)
    {
        long last = 0;
        foreach (var line in lines)
        {
            await JsonSerializer.SerializeAsync(response.Body, line.ToView(), serializer, cancellationToken);
            await response.Body.WriteAsync(NewLine, cancellationToken);
            last = line.Seq;
        }

        return last;
    }
}
