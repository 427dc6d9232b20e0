namespace Granary.Tests.Cli;

public class CliCommandTests
{
    private const string WebApp = """{"id":"a1","name":"web","state":"STARTED","instances":1,"memoryMb":256,"runningInstances":1,"env":{"A":"1"},"urls":["http://web.localhost:7780"]}""";

    private static Dictionary<string, string> Target(StubApi stub) => new() { ["GRANARY_API"] = stub.Url, ["GRANARY_TOKEN"] = "t" };

    [Fact]
    public async Task Help_NoArguments_ListsEveryCommand()
    {
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, null, "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "target", "login", "info", "push", "apps", "app", "scale", "start", "stop", "restart", "logs", "env", "set-env", "unset-env", "routes", "map-route", "unmap-route", "set-routing", "delete", "events", "micro" })
            Assert.Contains("  " + command + " ", run.Out);
    }

    [Fact]
    public async Task Info_NothingListening_ExitsOneWithOneErrorLine()
    {
        using var home = new TempDir();
        var url = $"http://127.0.0.1:{StubApi.FreePort()}";

        var run = await CliRun.RunAsync(home.Path, new Dictionary<string, string> { ["GRANARY_API"] = url }, "info");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: cannot reach the Granary API at {url} (is the micro cloud up? ./granary micro up)", Assert.Single(run.ErrLines));
    }

    [Theory]
    [InlineData("scale", "web", "-m", "12X")]
    [InlineData("scale", "web")]
    [InlineData("push", "-i", "-1")]
    [InlineData("app")]
    [InlineData("frobnicate")]
    [InlineData("set-env", "web", "ONLY_KEY")]
    public async Task Run_UsageError_ExitsTwoWithOneErrorLine(params string[] args)
    {
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, null, args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", Assert.Single(run.ErrLines));
    }

    [Fact]
    public async Task Scale_BadMemory_NamesTheAcceptedForms()
    {
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, null, "scale", "web", "-m", "lots");

        Assert.Contains("256M, 256MB, 1G, 1GB, or 512", run.Err);
    }

    [Fact]
    public async Task Info_Json_PrintsTheServersAnswer()
    {
        using var stub = new StubApi(_ => StubApi.Json("""{"version":"0.1.0","api":"http://127.0.0.1:7700","edge":"http://localhost:7780","domain":"localhost","nodeId":"micro"}"""));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "info", "--json");

        Assert.Equal(0, run.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(run.Out);
        foreach (var key in new[] { "api", "edge", "domain", "version" })
            Assert.True(doc.RootElement.TryGetProperty(key, out _), key);
    }

    [Fact]
    public async Task Apps_Table_ShowsNameStateRunningMemoryAndUrl()
    {
        using var stub = new StubApi(_ => StubApi.Json($"[{WebApp}]"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "apps");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["name", "state", "running", "memory", "urls"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["web", "STARTED", "1/1", "256M", "http://web.localhost:7780"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task App_UnknownName_FailsWithOneLine()
    {
        using var stub = new StubApi(_ => StubApi.Json("[]"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "app", "ghost");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ghost", Assert.Single(run.ErrLines));
    }

    [Fact]
    public async Task SetEnv_ExistingApp_PatchesTheWholeMapAndHintsRestart()
    {
        using var stub = new StubApi(r => r.HttpMethod == "GET" && r.Url!.AbsolutePath == "/v1/apps" ? StubApi.Json($"[{WebApp}]") : StubApi.Json(WebApp));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "set-env", "web", "B", "two words");

        Assert.Equal(0, run.ExitCode);
        var patch = stub.Requests.IndexOf("PATCH /v1/apps/a1");
        Assert.True(patch >= 0, string.Join(", ", stub.Requests));
        using var body = System.Text.Json.JsonDocument.Parse(stub.Bodies[patch]);
        Assert.Equal("1", body.RootElement.GetProperty("env").GetProperty("A").GetString());
        Assert.Equal("two words", body.RootElement.GetProperty("env").GetProperty("B").GetString());
        Assert.False(body.RootElement.TryGetProperty("instances", out _));
        Assert.Contains("Restart web for the change to take effect: ./granary restart web", run.Out);
    }

    [Theory]
    [InlineData("@not-a-response-file")]
    [InlineData("-Xmx512m")]
    public async Task SetEnv_ValueThatLooksLikeSyntax_IsTakenLiterally(string value)
    {
        using var stub = new StubApi(r => r.HttpMethod == "GET" && r.Url!.AbsolutePath == "/v1/apps" ? StubApi.Json($"[{WebApp}]") : StubApi.Json(WebApp));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "set-env", "web", "OPTS", value);

        Assert.Equal(0, run.ExitCode);
        using var body = System.Text.Json.JsonDocument.Parse(stub.Bodies[stub.Requests.IndexOf("PATCH /v1/apps/a1")]);
        Assert.Equal(value, body.RootElement.GetProperty("env").GetProperty("OPTS").GetString());
    }

    [Fact]
    public async Task Delete_NoTerminalAndNoForce_RefusesWithoutDeleting()
    {
        using var stub = new StubApi(_ => StubApi.Json($"[{WebApp}]"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "delete", "web");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("-f", Assert.Single(run.ErrLines));
        Assert.DoesNotContain(stub.Requests, r => r.StartsWith("DELETE"));
    }

    [Fact]
    public async Task Delete_Force_DeletesTheApp()
    {
        using var stub = new StubApi(r => r.HttpMethod == "DELETE" ? (204, "text/plain", "") : StubApi.Json($"[{WebApp}]"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "delete", "web", "-f");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("DELETE /v1/apps/a1", stub.Requests);
    }

    [Fact]
    public async Task Push_PackageRejected_PrintsTheServersDetail()
    {
        using var stub = new StubApi(r => r.Url!.AbsolutePath == "/v1/packages"
            ? StubApi.Problem(422, "Unprocessable", "No framework detected: pass --command.")
            : StubApi.Json("[]"));
        using var home = new TempDir();
        using var app = new TempDir();
        app.File("README", "hi");

        var run = await CliRun.RunAsync(home.Path, Target(stub), "push", app.Path, "--name", "web");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: No framework detected: pass --command.", Assert.Single(run.ErrLines));
        Assert.Equal("POST /v1/packages", stub.Requests[0]);
    }

    [Fact]
    public async Task Push_NameThenPath_UsesTheNameAndUploadsThePath()
    {
        using var stub = new StubApi(r => r.Url!.AbsolutePath == "/v1/packages"
            ? StubApi.Json("""{"packageId":"p1","sizeBytes":10,"fileCount":1,"framework":"python"}""", 201)
            : StubApi.Problem(503, "Unavailable", "The controller is restarting."));
        using var home = new TempDir();
        using var app = new TempDir();
        app.File("app.py", "print(1)");

        var run = await CliRun.RunAsync(home.Path, Target(stub), "push", "hello", app.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Detected framework: python", run.Out);
        Assert.Equal(["POST /v1/packages", "GET /v1/apps?name=hello"], stub.Requests);
        Assert.Equal("error: The controller is restarting.", Assert.Single(run.ErrLines));
    }

    [Fact]
    public async Task Login_RejectedToken_IsNotStored()
    {
        using var stub = new StubApi(_ => StubApi.Problem(401, "Unauthorized", "The token is not valid."));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, new Dictionary<string, string> { ["GRANARY_API"] = stub.Url }, "login", "--token", "wrong");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: The token is not valid.", Assert.Single(run.ErrLines));
        Assert.False(File.Exists(Path.Combine(home.Path, "config.json")));
    }

    [Fact]
    public async Task Login_AcceptedToken_IsStored()
    {
        using var stub = new StubApi(_ => StubApi.Json("{\"name\":\"admin\",\"admin\":true}"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, new Dictionary<string, string> { ["GRANARY_API"] = stub.Url }, "login", "--token", "good");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Bearer good", Assert.Single(stub.Authorizations));
        Assert.Contains("\"good\"", File.ReadAllText(Path.Combine(home.Path, "config.json")));
    }

    [Fact]
    public async Task Target_Url_IsSavedAndShown()
    {
        using var home = new TempDir();

        var set = await CliRun.RunAsync(home.Path, null, "target", "api.example.com:7700");
        var show = await CliRun.RunAsync(home.Path, null, "target");

        Assert.Equal(0, set.ExitCode);
        Assert.Contains("http://api.example.com:7700", show.Out);
    }

    [Fact]
    public async Task Home_Option_OverridesGranaryHome()
    {
        using var home = new TempDir();
        using var other = new TempDir();

        await CliRun.RunAsync(home.Path, null, "--home", other.Path, "target", "http://x:1");

        Assert.True(File.Exists(Path.Combine(other.Path, "config.json")));
        Assert.False(File.Exists(Path.Combine(home.Path, "config.json")));
    }

    [Fact]
    public async Task LogsRecent_Lines_ArePrintedInTheLogFormat()
    {
        using var stub = new StubApi(r => r.Url!.AbsolutePath.EndsWith("/logs")
            ? (200, "application/x-ndjson", "{\"seq\":1,\"time\":\"2025-01-01T12:00:00.123Z\",\"source\":\"APP/0\",\"stream\":\"OUT\",\"text\":\"listening\"}\n{}\n")
            : StubApi.Json($"[{WebApp}]"));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Target(stub), "logs", "web", "--recent");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^\d\d:\d\d:\d\d\.123 \[APP/0\] listening$", run.Out.Trim());
        Assert.Contains("GET /v1/apps/a1/logs?recent=200", stub.Requests);
    }

    [Fact]
    public async Task MicroDown_NothingRunning_SaysSoAndSucceeds()
    {
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, null, "micro", "down");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("No micro cloud is running", run.Out);
    }
}
