using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Granary.Tests.Infrastructure;
using Granary.Tests.Support.Postgres;

namespace Granary.Tests.Persistence;

/// <summary>
/// PostgreSQL stops for 10 s under a running micro cloud (real silo, edge and app processes on a private server):
/// the edge keeps serving, changes are refused with a 503 ProblemDetails and not half-applied, and everything
/// works again once the database is back, with nobody touching it.
/// </summary>
public sealed class DatabaseOutageTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PostgresStoppedTenSeconds_EdgeKeepsServing_WritesRefusedWith503_AllRecovers()
    {
        await using var postgres = await TestPostgres.StartAsync("outage");
        var db = await postgres.CreateDatabaseAsync("outage");
        var cli = new CliRunner(Directory.CreateTempSubdirectory("granary-outage-").FullName);
        try
        {
            var up = await cli.RunAsync(TimeSpan.FromMinutes(5), "micro", "up", "--api-port", "0", "--edge-port", "0", "--db", db);
            Assert.True(up.ExitCode == 0, up.All);
            var push = await cli.RunAsync("push", RepoPaths.Sample("node-hello"), "--name", "steady");
            Assert.True(push.ExitCode == 0, push.All);
            Assert.Equal(0, (await cli.RunAsync("set-env", "steady", "BEFORE", "1")).ExitCode);
            var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(cli.Home, "config.json")))!;
            using var api = new HttpClient { BaseAddress = new Uri((string)config["api"]!), Timeout = TimeSpan.FromSeconds(30) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)config["token"]!);
            var appId = (string)JsonNode.Parse((await cli.RunAsync("app", "steady", "--json")).Out)!["id"]!;
            var siloPid = int.Parse(await File.ReadAllTextAsync(Path.Combine(cli.Home, "micro", "silo.pid")));

            using var traffic = new EdgeTraffic((string)config["edge"]!, "steady.localhost");
            await traffic.WaitForFirstAnswerAsync();

            var outage = Stopwatch.StartNew();
            await postgres.StopAsync();
            var duringOutage = await SetEnvAsync(api, appId, "DURING", "lost");
            var problem = JsonNode.Parse(await duringOutage.Content.ReadAsStringAsync())!;
            await Task.Delay(Outage - outage.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
            var servedDuringOutage = traffic.Succeeded;
            Assert.True(Directory.Exists($"/proc/{siloPid}"), "the silo died while the database was down");
            await postgres.RestartAsync();

            // Recovery needs no help: the first change after the restart goes through (retried while pools reconnect).
            HttpResponseMessage after;
            var deadline = Stopwatch.StartNew();
            while ((after = await SetEnvAsync(api, appId, "AFTER", "2")).StatusCode != HttpStatusCode.OK && deadline.Elapsed < TimeSpan.FromSeconds(60))
                await Task.Delay(250);
            traffic.Stop();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, duringOutage.StatusCode);
            Assert.Equal("application/problem+json", duringOutage.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Database unavailable", (string?)problem["title"]);
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.True(servedDuringOutage > 0 && traffic.Failed == 0, $"edge answers: {traffic.Succeeded} ok, {traffic.Failed} failed ({traffic.LastFailure})");
            var env = (await cli.RunAsync("env", "steady")).Out;
            Assert.Contains("BEFORE=1", env);
            Assert.Contains("AFTER=2", env);
            Assert.DoesNotContain("DURING", env); // refused, so not applied later either
            Assert.Equal(1L, await PersistenceDatabase.ScalarAsync<long>(db,
                "SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = 'granary-micro' AND Status = 3 AND IAmAliveTime > now() - interval '30 seconds'"));
        }
        finally
        {
            await cli.RunAsync("micro", "down");
            Directory.Delete(cli.Home, recursive: true);
        }
    }

    /// <summary>PATCH replaces the whole environment: BEFORE stays, NAME=VALUE joins it.</summary>
    private static Task<HttpResponseMessage> SetEnvAsync(HttpClient api, string appId, string name, string value) =>
        api.PatchAsync($"/v1/apps/{appId}",
            new StringContent($"{{\"env\":{{\"BEFORE\":\"1\",\"{name}\":\"{value}\"}}}}", Encoding.UTF8, "application/json"));

    /// <summary>Requests through the edge, one after another, until stopped; counts what answered 200.</summary>
    private sealed class EdgeTraffic : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _loop;
        private int _succeeded, _failed;

        public EdgeTraffic(string edge, string host)
        {
            _loop = Task.Run(async () =>
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, edge + "/");
                        request.Headers.Host = host;
                        using var response = await http.SendAsync(request, _stop.Token);
                        if (response.IsSuccessStatusCode)
                        {
                            Interlocked.Increment(ref _succeeded);
                            _first.TrySetResult();
                        }
                        else if (_first.Task.IsCompleted)
                        {
                            Interlocked.Increment(ref _failed);
                            LastFailure = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                        }
                    }
                    catch (Exception e) when (!_stop.IsCancellationRequested)
                    {
                        if (_first.Task.IsCompleted)
                        {
                            Interlocked.Increment(ref _failed);
                            LastFailure = e.Message;
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    await Task.Delay(50);
                }
            });
        }

        public int Succeeded => Volatile.Read(ref _succeeded);
        public int Failed => Volatile.Read(ref _failed);
        public string? LastFailure { get; private set; }

        public async Task WaitForFirstAnswerAsync() => await _first.Task.WaitAsync(TimeSpan.FromSeconds(60));

        public void Stop()
        {
            _stop.Cancel();
            try { _loop.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
        }

        public void Dispose()
        {
            Stop();
            _stop.Dispose();
        }
    }
}
