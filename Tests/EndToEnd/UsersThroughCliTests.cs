using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.EndToEnd;

/// <summary>
/// Users as a new operator meets them, through the real CLI and micro cloud: micro up logged the CLI in as admin,
/// the admin creates a user, the user logs in from a home of their own, is refused admin work, changes their password
/// and logs out, after which their old token is worthless.
/// </summary>
[Collection(MicroCloudCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UsersThroughCliTests(MicroCloudFixture cloud)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task MicroUp_LoggedInAsAdminWithAPasswordKeptOwnerOnly()
    {
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(cloud.Cli.Home, "config.json")))!;
        var passwordFile = Path.Combine(cloud.Cli.Home, "micro", "admin-password");

        Assert.Equal("admin", (string?)config["user"]);
        Assert.StartsWith("gat_", (string?)config["token"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
        var users = await cloud.Cli.RunAsync("users");
        Assert.Equal(0, users.ExitCode);
        Assert.Matches(@"admin\s+yes", users.Out);
    }

    [Fact]
    public async Task NewUser_LogsInIsRefusedAdminWorkChangesPasswordAndLogsOut()
    {
        var name = $"user-{Guid.NewGuid():N}"[..13];
        var created = await cloud.Cli.RunAsync("create-user", name, "--password", "first password 1");
        Assert.True(created.ExitCode == 0, created.All);
        using var home = new Granary.Tests.Cli.TempDir();
        var user = new CliRunner(home.Path);
        var api = (string)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(cloud.Cli.Home, "config.json")))!["api"]!;
        Assert.Equal(0, (await user.RunAsync("target", api)).ExitCode);

        var login = await user.RunAsync("login", "-u", name, "-p", "first password 1");
        Assert.True(login.ExitCode == 0, login.All);
        var token = (string)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(home.Path, "config.json")))!["token"]!;

        var nodes = await user.RunAsync("node", "list");
        Assert.Equal(1, nodes.ExitCode);
        Assert.Contains("needs the cluster admin role", nodes.Err);
        var apps = await user.RunAsync("apps");
        Assert.True(apps.ExitCode == 0, apps.All); // no role anywhere: nothing to list, but nothing refused either
        var sneaky = await user.RunAsync("create-user", "sneaky", "--password", "whatever password");
        Assert.Equal(1, sneaky.ExitCode);

        var passwd = await user.RunAsync("passwd", "--current", "first password 1", "--password", "second password 2");
        Assert.True(passwd.ExitCode == 0, passwd.All);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(api, token)).StatusCode);
        var wrong = await user.RunAsync("login", "-u", name, "-p", "first password 1");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal(0, (await user.RunAsync("login", "-u", name, "-p", "second password 2")).ExitCode);
        token = (string)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(home.Path, "config.json")))!["token"]!;
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(api, token)).StatusCode);

        Assert.Equal(0, (await user.RunAsync("logout")).ExitCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(api, token)).StatusCode);
        Assert.DoesNotContain("gat_", await File.ReadAllTextAsync(Path.Combine(home.Path, "config.json")));
        Assert.Equal(0, (await cloud.Cli.RunAsync("delete-user", name, "-f")).ExitCode);
        Assert.Equal(1, (await user.RunAsync("login", "-u", name, "-p", "second password 2")).ExitCode);
    }

    [Fact]
    public async Task SiloLog_AfterLogins_HoldsNoPasswordOrToken()
    {
        var name = $"logs-{Guid.NewGuid():N}"[..13];
        Assert.Equal(0, (await cloud.Cli.RunAsync("create-user", name, "--password", "a logged password 77")).ExitCode);
        using var home = new Granary.Tests.Cli.TempDir();
        var user = new CliRunner(home.Path);
        var api = (string)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(cloud.Cli.Home, "config.json")))!["api"]!;
        await user.RunAsync("target", api);
        Assert.Equal(0, (await user.RunAsync("login", "-u", name, "-p", "a logged password 77")).ExitCode);
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(home.Path, "config.json")))!;

        var log = await File.ReadAllTextAsync(Path.Combine(cloud.Cli.Home, "micro", "silo.log"));

        Assert.Contains(name, log);
        Assert.DoesNotContain("a logged password 77", log);
        Assert.DoesNotContain(((string)config["token"]!)[4..], log);
        Assert.DoesNotContain(((string)config["refreshToken"]!)[4..], log);
    }

    private static async Task<HttpResponseMessage> MeAsync(string api, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{api}/v1/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(request);
    }
}
