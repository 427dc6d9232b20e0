using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Granary.Tests.Apis;

namespace Granary.Tests.Infrastructure;

/// <summary>Pushes and watches an app through the HTTP API, as the CLI does.</summary>
public sealed class AppDriver(HttpClient api)
{
    public async Task<string> PushAsync(string name, byte[] archive, object? settings = null, string? command = null)
    {
        var content = new ByteArrayContent(archive);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        var upload = await api.PostAsync(command is null ? "/v1/packages" : $"/v1/packages?command={Uri.EscapeDataString(command)}", content);
        var package = await upload.Json();
        Assert.True(upload.IsSuccessStatusCode, package.ToJsonString());

        // The upload's command only lets validation accept an undetectable app; the app's own command is what runs.
        var id = await api.CreateAppAsync(name, settings ?? (command is null ? null : new { command }));
        var build = await api.PostJson($"/v1/apps/{id}/builds", new { packageId = (string)package["packageId"]! });
        Assert.True(build.IsSuccessStatusCode, (await build.Json()).ToJsonString());
        return id;
    }

    public async Task<JsonNode> GetAsync(string id) => await (await api.GetAsync($"/v1/apps/{id}")).Json();

    /// <summary>Polls until the condition holds on the app's JSON; fails with the last state seen.</summary>
    public async Task<JsonNode> WaitUntilAsync(string id, Func<JsonNode, bool> condition, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonNode app;
        while (!condition(app = await GetAsync(id)))
        {
            if (DateTime.UtcNow > deadline)
            {
                var logs = await api.GetStringAsync($"/v1/apps/{id}/logs?recent=40");
                Assert.Fail($"condition never held; app: {app.ToJsonString()}\nlogs:\n{logs}");
            }

            await Task.Delay(100);
        }

        return app;
    }

    public static bool AllRunning(JsonNode app, int count) =>
        (int?)app["runningInstances"] == count && app["instanceDetails"]!.AsArray().Count == count;

    public static IEnumerable<JsonNode> Instances(JsonNode app) => app["instanceDetails"]!.AsArray()!.Select(i => i!);
}
