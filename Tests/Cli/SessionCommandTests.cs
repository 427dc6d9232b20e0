using System.Text.Json.Nodes;

namespace Granary.Tests.Cli;

/// <summary>login -u, silent renewal and logout against a stub API: what the CLI sends and what it keeps.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SessionCommandTests
{
    private static string Tokens(string access, string refresh, DateTimeOffset expires) => $$"""
        {"accessToken":"{{access}}","accessExpiresAt":"{{expires:O}}","refreshToken":"{{refresh}}",
         "refreshExpiresAt":"{{expires.AddDays(30):O}}","tokenType":"Bearer",
         "user":{"id":"{{Guid.NewGuid()}}","name":"alice","admin":false,"createdAt":"2026-12-01T00:00:00Z","createdBy":"admin"} }
        """;

    [Fact]
    public async Task Login_UserAndPassword_StoresTheSessionNotThePassword()
    {
        using var stub = new StubApi(_ => StubApi.Json(Tokens("gat_a", "grt_a", DateTimeOffset.UtcNow.AddHours(1))));
        using var home = new TempDir();

        var run = await CliRun.RunAsync(home.Path, Api(stub), "login", "-u", "alice", "-p", "s3cret-password");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["POST /v1/auth/login"], stub.Requests);
        Assert.Contains("\"password\":\"s3cret-password\"", Assert.Single(stub.Bodies));
        var config = File.ReadAllText(Path.Combine(home.Path, "config.json"));
        Assert.Contains("gat_a", config);
        Assert.Contains("grt_a", config);
        Assert.DoesNotContain("s3cret-password", config);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(home.Path, "config.json")));
    }

    [Fact]
    public async Task AnyCommand_AccessTokenAboutToExpire_RenewedFirstAndTheNewOneSent()
    {
        using var stub = new StubApi(request => request.Url!.AbsolutePath == "/v1/auth/refresh"
            ? StubApi.Json(Tokens("gat_new", "grt_new", DateTimeOffset.UtcNow.AddHours(1)))
            : StubApi.Json("[]"));
        using var home = new TempDir();
        await SaveSessionAsync(home, stub, "gat_old", "grt_old", DateTimeOffset.UtcNow.AddSeconds(20));

        var run = await CliRun.RunAsync(home.Path, null, "apps");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["POST /v1/auth/refresh", "GET /v1/apps"], stub.Requests);
        Assert.Contains("grt_old", stub.Bodies[0]);
        Assert.Equal("Bearer gat_new", stub.Authorizations[1]);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(home.Path, "config.json")))!;
        Assert.Equal("grt_new", (string?)config["refreshToken"]);
    }

    [Fact]
    public async Task AnyCommand_RefreshRefused_SaysToLogInAgainAndForgetsTheSession()
    {
        using var stub = new StubApi(_ => StubApi.Problem(401, "Refresh failed", "The refresh token was used already."));
        using var home = new TempDir();
        await SaveSessionAsync(home, stub, "gat_old", "grt_old", DateTimeOffset.UtcNow.AddMinutes(-5));

        var run = await CliRun.RunAsync(home.Path, null, "apps");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("log in again: ./granary login -u alice", Assert.Single(run.ErrLines));
        Assert.DoesNotContain("grt_old", File.ReadAllText(Path.Combine(home.Path, "config.json")));
    }

    [Fact]
    public async Task Logout_Session_EndedOnTheServerAndForgotten()
    {
        using var stub = new StubApi(_ => (204, "text/plain", ""));
        using var home = new TempDir();
        await SaveSessionAsync(home, stub, "gat_live", "grt_live", DateTimeOffset.UtcNow.AddHours(1));

        var run = await CliRun.RunAsync(home.Path, null, "logout");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["POST /v1/auth/logout"], stub.Requests);
        Assert.Equal("Bearer gat_live", Assert.Single(stub.Authorizations));
        var config = File.ReadAllText(Path.Combine(home.Path, "config.json"));
        Assert.DoesNotContain("gat_live", config);
        Assert.DoesNotContain("grt_live", config);
    }

    private static Dictionary<string, string> Api(StubApi stub) => new() { ["GRANARY_API"] = stub.Url };

    private static async Task SaveSessionAsync(TempDir home, StubApi stub, string access, string refresh, DateTimeOffset expires)
    {
        var config = new JsonObject
        {
            ["api"] = stub.Url,
            ["token"] = access,
            ["refreshToken"] = refresh,
            ["tokenExpiresAt"] = expires.ToString("O"),
            ["user"] = "alice",
        };
        await File.WriteAllTextAsync(Path.Combine(home.Path, "config.json"), config.ToJsonString());
    }
}
