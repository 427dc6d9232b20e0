using System.Net;
using System.Text.Json.Nodes;
using Granary.Tests.Apis;
using Granary.Tests.Brokers;
using Granary.Tests.Infrastructure;
using Npgsql;

namespace Granary.Tests.Services;

/// <summary>The platform against the real PostgreSQL broker process, over HTTP.</summary>
[Collection(ServicesCollection.Name)]
public sealed class ServicesFlowTests(ServicesFixture fx)
{
    private HttpClient Api => fx.Api;

    private async Task<string> RegisterBrokerAsync()
    {
        var name = ServicesCollection.Unique("pg");
        var response = await Api.PostJson("/v1/service_brokers", new { name, url = fx.Broker.Url, username = BrokerServer.Username, password = BrokerServer.Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return name;
    }

    [Fact]
    public async Task RegisterBroker_WrongPasswordOrBadUrl_ExplainsTheProblem()
    {
        var wrong = await Api.PostJson("/v1/service_brokers", new { name = ServicesCollection.Unique("pg"), url = fx.Broker.Url, username = BrokerServer.Username, password = "nope" });
        var badUrl = await Api.PostJson("/v1/service_brokers", new { name = ServicesCollection.Unique("pg"), url = "ftp://x", username = "u", password = "p" });
        var wrongBody = await wrong.Json();

        Assert.Equal(HttpStatusCode.BadGateway, wrong.StatusCode);
        Assert.Contains("401", (string)wrongBody["detail"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badUrl.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task RegisterBroker_Twice_Conflicts_AndListsWithoutPassword()
    {
        var name = await RegisterBrokerAsync();

        var again = await Api.PostJson("/v1/service_brokers", new { name, url = fx.Broker.Url, username = BrokerServer.Username, password = BrokerServer.Password });
        var list = await Api.GetStringAsync("/v1/service_brokers");
        var marketplace = await (await Api.GetAsync("/v1/marketplace")).Json();

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains(name, list);
        Assert.DoesNotContain(BrokerServer.Password, list);
        var offering = marketplace.AsArray().First(o => (string)o!["broker"]! == name)!;
        Assert.Equal("postgresql", (string)offering["service"]!);
        Assert.Equal(["small", "medium"], offering["plans"]!.AsArray().Select(p => (string)p!["name"]!));
    }

    [Fact]
    public async Task ServiceLifecycle_CreateBindUnbindDelete_ManagesARealDatabaseAndNeverShowsCredentials()
    {
        var broker = await RegisterBrokerAsync();
        var service = ServicesCollection.Unique("db");
        var app = await Api.CreateAppAsync(ServicesCollection.Unique("web"), new { state = "STOPPED" });

        var created = await Api.PostJson("/v1/service_instances", new { name = service, service = "postgresql", plan = "small", broker });
        var createdBody = await ReadyAsync(service);
        var bound = await Api.PostJson($"/v1/apps/{app}/service_bindings", new { serviceInstance = service });
        var boundAgain = await Api.PostJson($"/v1/apps/{app}/service_bindings", new { serviceInstance = service });
        var bindings = await Api.GetStringAsync($"/v1/apps/{app}/service_bindings");
        var appJson = await Api.GetStringAsync($"/v1/apps/{app}");
        var deleteWhileBound = await Api.DeleteAsync($"/v1/service_instances/{service}");
        var deleteBrokerInUse = await Api.DeleteAsync($"/v1/service_brokers/{broker}");

        // The platform always accepts incomplete operations, and this broker then works asynchronously.
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        Assert.Equal("READY", (string)createdBody["status"]!);
        Assert.Equal(HttpStatusCode.Created, bound.StatusCode);
        Assert.Equal(HttpStatusCode.OK, boundAgain.StatusCode);
        Assert.Contains("restart", (string)(await bound.Json())["note"]!);
        Assert.Contains(service, bindings);
        Assert.DoesNotContain("password", bindings);
        Assert.DoesNotContain("postgres://", appJson);
        Assert.Equal(HttpStatusCode.Conflict, deleteWhileBound.StatusCode);
        Assert.Contains("unbind", (string)(await deleteWhileBound.Json())["detail"]!);
        Assert.Equal(HttpStatusCode.Conflict, deleteBrokerInUse.StatusCode);
        var events = await Api.GetStringAsync($"/v1/apps/{app}/events");
        Assert.Contains("app.service_bound", events);

        var inspector = new ServerInspector(fx.AdminConnectionString);
        var database = (await inspector.DatabaseOfInstanceAsync((string)createdBody["id"]!))!;
        Assert.True(await inspector.DatabaseExistsAsync(database));
        Assert.Equal(2, await inspector.RolesLikeAsync(database + "_")); // the owner and one login

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/v1/apps/{app}/service_bindings/{service}")).StatusCode);
        Assert.Equal(1, await inspector.RolesLikeAsync(database + "_")); // the owner alone
        Assert.Contains("app.service_unbound", await Api.GetStringAsync($"/v1/apps/{app}/events"));
        await DeleteServiceAsync(service);
        Assert.False(await inspector.DatabaseExistsAsync(database));
        Assert.Equal(0, await inspector.RolesLikeAsync(database));
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"/v1/service_instances/{service}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/v1/service_brokers/{broker}")).StatusCode);
    }

    [Fact]
    public async Task CreateService_UnknownPlanOrDuplicateName_ProblemDetailsSaysWhatToDo()
    {
        var broker = await RegisterBrokerAsync();
        var service = ServicesCollection.Unique("db");

        var unknownPlan = await Api.PostJson("/v1/service_instances", new { name = service, service = "postgresql", plan = "huge", broker });
        var badName = await Api.PostJson("/v1/service_instances", new { name = "no spaces allowed", service = "postgresql", plan = "small", broker });
        await CreateServiceAsync(service, broker);
        var duplicate = await Api.PostJson("/v1/service_instances", new { name = service, service = "postgresql", plan = "small", broker });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownPlan.StatusCode);
        Assert.Contains("small, medium", (string)(await unknownPlan.Json())["detail"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badName.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        await DeleteServiceAsync(service);
    }

    [Fact]
    public async Task Binding_ReachesInstancesAfterRestart_AsDatabaseUrlThatWorks()
    {
        var broker = await RegisterBrokerAsync();
        var service = ServicesCollection.Unique("db");
        await CreateServiceAsync(service, broker);
        var driver = new AppDriver(Api);
        var app = await driver.PushAsync(ServicesCollection.Unique("env"), Archives.TarGz(Archives.File("app.py", EnvEchoApp)));
        var running = await driver.WaitUntilAsync(app, a => AppDriver.AllRunning(a, 1));

        var before = await EchoAsync(running);
        Assert.Equal(HttpStatusCode.Created, (await Api.PostJson($"/v1/apps/{app}/service_bindings", new { serviceInstance = service })).StatusCode);
        var stillBefore = await EchoAsync(running);
        Assert.True((await Api.PostAsync($"/v1/apps/{app}/restart", null)).IsSuccessStatusCode);
        var restarted = await driver.WaitUntilAsync(app, a => AppDriver.AllRunning(a, 1) && (string?)a["instanceDetails"]![0]!["instanceId"] != (string?)running["instanceDetails"]![0]!["instanceId"]);
        var after = await EchoAsync(restarted);

        Assert.Null((string?)before["DATABASE_URL"]);
        Assert.Null((string?)stillBefore["DATABASE_URL"]);
        var url = (string)after["DATABASE_URL"]!;
        var services = JsonNode.Parse((string)after["GRANARY_SERVICES"]!)!;
        var entry = services["postgresql"]![0]!;
        Assert.Equal(service, (string)entry["name"]!);
        Assert.Equal("small", (string)entry["plan"]!);
        Assert.Equal(url, (string)entry["credentials"]!["uri"]!);
        await using var connection = new NpgsqlConnection(ToConnectionString(new Uri(url)));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("CREATE TABLE visits (n int); SELECT count(*) FROM visits", connection);
        Assert.Equal(0L, await command.ExecuteScalarAsync());
        var logs = await Api.GetStringAsync($"/v1/apps/{app}/logs?recent=200");
        Assert.DoesNotContain(new Uri(url).UserInfo.Split(':')[1], logs);

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/v1/apps/{app}")).StatusCode);
        // An app deleted while bound does not pin the service: its bindings are dropped on delete-service.
        await DeleteServiceAsync(service);
    }

    [Fact]
    public async Task UserProvidedService_BindsItsOwnCredentials()
    {
        var service = ServicesCollection.Unique("ups");
        var notObject = await Api.PostJson("/v1/user_provided_service_instances", new { name = service, credentials = "x" });
        var created = await Api.PostJson("/v1/user_provided_service_instances", new { name = service, credentials = new { uri = "postgres://u:secret-ups@db.example:5432/app" } });
        var app = await Api.CreateAppAsync(ServicesCollection.Unique("web"), new { state = "STOPPED" });
        var bound = await Api.PostJson($"/v1/apps/{app}/service_bindings", new { serviceInstance = service });
        var list = await Api.GetStringAsync("/v1/service_instances");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, notObject.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("USER_PROVIDED", (string)(await created.Json())["type"]!);
        Assert.Equal(HttpStatusCode.Created, bound.StatusCode);
        Assert.DoesNotContain("secret-ups", list);
        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/v1/apps/{app}/service_bindings/{service}")).StatusCode);
        await DeleteServiceAsync(service);
    }

    private async Task CreateServiceAsync(string service, string broker)
    {
        var created = await Api.PostJson("/v1/service_instances", new { name = service, service = "postgresql", plan = "small", broker });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        await ReadyAsync(service);
    }

    /// <summary>204 when the broker deleted at once, 202 while it works; either way, gone in the end.</summary>
    private async Task DeleteServiceAsync(string service)
    {
        var deleted = await Api.DeleteAsync($"/v1/service_instances/{service}");
        Assert.True(deleted.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.Accepted, await deleted.Content.ReadAsStringAsync());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await Api.GetAsync($"/v1/service_instances/{service}")).StatusCode != HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{service} was never deleted");
            await Task.Delay(100);
        }
    }

    private async Task<JsonNode> ReadyAsync(string service)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var instance = await (await Api.GetAsync($"/v1/service_instances/{service}")).Json();
            if ((string?)instance["status"] != "CREATE_IN_PROGRESS" || DateTime.UtcNow > deadline)
                return instance;
            await Task.Delay(100);
        }
    }

    private static async Task<JsonNode> EchoAsync(JsonNode app)
    {
        var instance = app["instanceDetails"]![0]!;
        using var http = new HttpClient();
        return JsonNode.Parse(await http.GetStringAsync($"http://{(string)instance["host"]!}:{(int)instance["port"]!}/"))!;
    }

    private static string ToConnectionString(Uri uri)
    {
        var user = uri.UserInfo.Split(':');
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host, Port = uri.Port, Database = uri.AbsolutePath.TrimStart('/'),
            Username = Uri.UnescapeDataString(user[0]), Password = Uri.UnescapeDataString(user[1]), Pooling = false,
        }.ConnectionString;
    }

    private const string EnvEchoApp = """
        import json, os
        from http.server import BaseHTTPRequestHandler, HTTPServer

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = json.dumps({k: os.environ.get(k) for k in ("DATABASE_URL", "GRANARY_SERVICES")}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
        """;
}
