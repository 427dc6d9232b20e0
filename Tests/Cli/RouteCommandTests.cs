using System.Text.Json;

namespace Granary.Tests.Cli;

public class RouteCommandTests
{
    private const string Web = """{"id":"a1","name":"web","state":"STARTED","instances":1,"memoryMb":256,"runningInstances":1,"urls":["http://web.localhost:7780"],"routes":["web.localhost"],"loadBalancing":"ROUND_ROBIN","stickySessions":false}""";

    private const string WebWithWww = """{"id":"a1","name":"web","state":"STARTED","instances":1,"memoryMb":256,"runningInstances":1,"urls":["http://web.localhost:7780","http://www.example.com:7780"],"routes":["web.localhost","www.example.com"],"loadBalancing":"ROUND_ROBIN","stickySessions":false}""";

    private static Dictionary<string, string> Target(StubApi stub) => new() { ["GRANARY_API"] = stub.Url, ["GRANARY_TOKEN"] = "t" };

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Routes_Table_ShowsHostAppAndUrlSortedByHost()
    {
        using var stub = new StubApi(_ => StubApi.Json("""
            [{"host":"www.example.com","appId":"a1","appName":"web","url":"http://www.example.com:7780"},
             {"host":"api.example.com","appId":"a2","appName":"api","url":"http://api.example.com:7780"}]
            """));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "routes");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["host", "app", "url"], Cells(lines[0]));
        Assert.Equal(["api.example.com", "api", "http://api.example.com:7780"], Cells(lines[1]));
        Assert.Equal(["www.example.com", "web", "http://www.example.com:7780"], Cells(lines[2]));
        Assert.Equal("GET /v1/routes", Assert.Single(stub.Requests));
        Assert.Equal("Bearer t", Assert.Single(stub.Authorizations));
    }

    [Fact]
    public async Task Routes_Json_PrintsTheServersAnswer()
    {
        using var stub = new StubApi(_ => StubApi.Json("""[{"host":"web.localhost","appId":"a1","appName":"web","url":"http://web.localhost:7780"}]"""));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "routes", "--json");

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal("web.localhost", doc.RootElement[0].GetProperty("host").GetString());
    }

    [Fact]
    public async Task Routes_None_SaysHowToMapOne()
    {
        using var stub = new StubApi(_ => StubApi.Json("[]"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "routes");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("./granary map-route APP HOST", run.Out);
    }

    [Fact]
    public async Task MapRoute_NewHost_PostsTheHostAndPrintsItsUrl()
    {
        using var stub = new StubApi(r => r.HttpMethod == "POST" ? StubApi.Json(WebWithWww) : StubApi.Json($"[{Web}]"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "map-route", "web", "WWW.Example.com");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["GET /v1/apps?name=web", "POST /v1/apps/a1/routes"], stub.Requests);
        using var body = JsonDocument.Parse(stub.Bodies[1]);
        Assert.Equal("WWW.Example.com", body.RootElement.GetProperty("host").GetString());
        Assert.Equal("Mapped www.example.com to web: http://www.example.com:7780", run.Out.Trim());
    }

    [Fact]
    public async Task MapRoute_HostOfAnotherApp_FailsWithTheServersDetail()
    {
        using var stub = new StubApi(r => r.HttpMethod == "POST"
            ? StubApi.Problem(409, "Route taken", "the route www.example.com is mapped to 'shop'")
            : StubApi.Json($"[{Web}]"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "map-route", "web", "www.example.com");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: the route www.example.com is mapped to 'shop'", Assert.Single(run.ErrLines));
    }

    [Fact]
    public async Task MapRoute_AlreadyMapped_SaysSoWithoutPosting()
    {
        using var stub = new StubApi(_ => StubApi.Json($"[{WebWithWww}]"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "map-route", "web", "www.example.com.");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain(stub.Requests, r => r.StartsWith("POST"));
        Assert.Contains("already mapped", run.Out);
    }

    [Fact]
    public async Task UnmapRoute_MappedHost_DeletesItByPath()
    {
        using var stub = new StubApi(r => r.HttpMethod == "DELETE" ? StubApi.Json(Web) : StubApi.Json($"[{WebWithWww}]"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "unmap-route", "web", "www.example.com");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("DELETE /v1/apps/a1/routes/www.example.com", stub.Requests);
        Assert.Equal("Unmapped www.example.com from web", run.Out.Trim());
    }

    [Fact]
    public async Task UnmapRoute_LastRoute_WarnsThatNothingReachesTheApp()
    {
        const string NoRoutes = """{"id":"a1","name":"web","state":"STARTED","instances":1,"memoryMb":256,"urls":[],"routes":[]}""";
        using var stub = new StubApi(r => r.HttpMethod == "DELETE" ? StubApi.Json(NoRoutes) : StubApi.Json($"[{Web}]"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "unmap-route", "web", "web.localhost");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("web has no routes left", run.Out);
    }

    [Fact]
    public async Task UnmapRoute_NotMapped_FailsWithTheServersDetail()
    {
        using var stub = new StubApi(r => r.HttpMethod == "DELETE"
            ? StubApi.Problem(422, "Invalid app", "the route other.example.com is not mapped to 'web'")
            : StubApi.Json($"[{Web}]"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "unmap-route", "web", "other.example.com");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: the route other.example.com is not mapped to 'web'", Assert.Single(run.ErrLines));
    }

    [Theory]
    [InlineData("--lb", "least-requests", """{"loadBalancing":"LEAST_REQUESTS"}""")]
    [InlineData("--lb", "Round-Robin", """{"loadBalancing":"ROUND_ROBIN"}""")]
    [InlineData("--sticky", "on", """{"stickySessions":true}""")]
    [InlineData("--sticky", "off", """{"stickySessions":false}""")]
    public async Task SetRouting_OneFlag_PatchesOnlyThatField(string flag, string value, string expected)
    {
        using var stub = new StubApi(r => r.HttpMethod == "PATCH" ? StubApi.Json(Web) : StubApi.Json($"[{Web}]"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "set-routing", "web", flag, value);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected, stub.Bodies[stub.Requests.IndexOf("PATCH /v1/apps/a1")]);
    }

    [Fact]
    public async Task SetRouting_BothFlags_PrintsTheResultingPolicy()
    {
        const string Patched = """{"id":"a1","name":"web","state":"STARTED","instances":1,"memoryMb":256,"loadBalancing":"LEAST_REQUESTS","stickySessions":true}""";
        using var stub = new StubApi(r => r.HttpMethod == "PATCH" ? StubApi.Json(Patched) : StubApi.Json($"[{Web}]"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "set-routing", "web", "--lb", "least-requests", "--sticky", "on");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Routing of web: least-requests, sticky sessions on", run.Out.Trim());
    }

    [Theory]
    [InlineData("set-routing", "web")]
    [InlineData("set-routing", "web", "--lb", "random")]
    [InlineData("set-routing", "web", "--sticky", "yes-please")]
    [InlineData("map-route", "web")]
    [InlineData("unmap-route")]
    public async Task Run_RouteUsageError_ExitsTwoWithoutCallingTheApi(params string[] args)
    {
        using var stub = new StubApi(_ => StubApi.Json($"[{Web}]"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", Assert.Single(run.ErrLines));
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task App_Routing_ShowsRoutesBalancingAndStickySessions()
    {
        const string Detail = """{"id":"a1","name":"web","state":"STARTED","instances":1,"memoryMb":256,"urls":["http://web.localhost:7780","http://www.example.com:7780"],"routes":["web.localhost","www.example.com"],"loadBalancing":"LEAST_REQUESTS","stickySessions":true}""";
        using var stub = new StubApi(r => r.Url!.AbsolutePath == "/v1/apps" ? StubApi.Json($"[{Web}]") : StubApi.Json(Detail));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "app", "web");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n');
        Assert.Contains("routes:     web.localhost, www.example.com", lines);
        Assert.Contains("balancing:  least-requests", lines);
        Assert.Contains("sticky:     on", lines);
    }

    private static (int, string, string) PushAnswer(System.Net.HttpListenerRequest r, string app, (int, string, string) mapRoute)
    {
        var path = r.Url!.AbsolutePath;
        return (r.HttpMethod, path) switch
        {
            ("POST", "/v1/packages") => StubApi.Json("""{"packageId":"p1","sizeBytes":10,"fileCount":1,"framework":"python"}""", 201),
            ("GET", "/v1/apps") => StubApi.Json($"[{app}]"),
            ("POST", "/v1/apps/a1/routes") => mapRoute,
            ("POST", "/v1/apps/a1/builds") => StubApi.Problem(503, "Unavailable", "stop here"),
            _ => StubApi.Problem(404, "Not Found", path),
        };
    }

    [Fact]
    public async Task Push_ManifestRoutes_MapsTheMissingOnesBeforeTheBuild()
    {
        using var stub = new StubApi(r => PushAnswer(r, Web, StubApi.Json(WebWithWww)));
        using var home = new TempDir();
        using var app = new TempDir();
        app.File("app.py", "print(1)");
        app.File("manifest.yml", "applications:\n- name: web\n  routes:\n  - route: web.localhost\n  - route: www.example.com\n");

        var run = await CliRun.RunAsync(home.Path, Target(stub), "push", app.Path);

        Assert.Equal("error: stop here", Assert.Single(run.ErrLines));
        Assert.DoesNotContain("not supported", run.Out);
        Assert.Contains("Mapping route www.example.com", run.Out);
        var route = Assert.Single(stub.Requests, r => r == "POST /v1/apps/a1/routes");
        Assert.True(stub.Requests.IndexOf(route) < stub.Requests.IndexOf("POST /v1/apps/a1/builds"), string.Join(", ", stub.Requests));
        using var body = JsonDocument.Parse(stub.Bodies[stub.Requests.IndexOf(route)]);
        Assert.Equal("www.example.com", body.RootElement.GetProperty("host").GetString());
    }

    [Fact]
    public async Task Push_ManifestRouteTaken_FailsWithTheDetailBeforeStaging()
    {
        using var stub = new StubApi(r => PushAnswer(r, Web, StubApi.Problem(409, "Route taken", "www.example.com is mapped to 'shop'")));
        using var home = new TempDir();
        using var app = new TempDir();
        app.File("app.py", "print(1)");
        app.File("manifest.yml", "applications:\n- name: web\n  routes:\n  - route: www.example.com\n");

        var run = await CliRun.RunAsync(home.Path, Target(stub), "push", app.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: www.example.com is mapped to 'shop'", Assert.Single(run.ErrLines));
        Assert.DoesNotContain("POST /v1/apps/a1/builds", stub.Requests);
    }
}
