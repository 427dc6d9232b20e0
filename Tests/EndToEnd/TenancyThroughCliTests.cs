using System.Net;
using System.Text.Json.Nodes;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.EndToEnd;

/// <summary>
/// Tenancy as a new team meets it, through the real CLI and micro cloud: the admin makes an org, a space and a user;
/// the user logs in from a home of their own, targets the space, pushes and scales, and the app answers through the
/// edge; the admin's default space does not show it, and another team's user cannot see it.
/// </summary>
[Collection(MicroCloudCollection.Name)]
public sealed class TenancyThroughCliTests(MicroCloudFixture cloud) : IDisposable
{
    private readonly List<Granary.Tests.Cli.TempDir> _homes = [];

    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task AdminMakesOrgSpaceAndUser_UserTargetsPushesAndScales()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (org, user, stranger, app) = ($"team-{suffix}", $"dev-{suffix}", $"other-{suffix}", $"hello-{suffix}");
        foreach (var step in new[]
        {
            new[] { "create-org", org }, ["create-space", "dev", "-o", org],
            ["create-user", user, "--password", "developer password"], ["create-user", stranger, "--password", "stranger password"],
            ["set-space-role", user, org, "dev", "SpaceDeveloper"],
            ["create-quota", $"q-{suffix}", "--instances", "2", "--memory", "1G"], ["set-quota", org, $"q-{suffix}"],
        })
        {
            var run = await cloud.Cli.RunAsync(step);
            Assert.True(run.ExitCode == 0, $"{string.Join(' ', step)}: {run.All}");
        }

        var dev = await LoggedInAsync(user, "developer password");
        var target = await dev.RunAsync("target", "-o", org, "-s", "dev");
        Assert.True(target.ExitCode == 0, target.All);
        var push = await dev.RunAsync("push", RepoPaths.Sample("node-hello"), "--name", app);
        Assert.True(push.ExitCode == 0, push.All + cloud.SiloLog());
        var scale = await dev.RunAsync("scale", app, "-i", "2");
        Assert.True(scale.ExitCode == 0, scale.All);
        var tooMany = await dev.RunAsync("scale", app, "-i", "3");
        Assert.Equal(1, tooMany.ExitCode);
        Assert.Contains($"needs 3 instances in org {org}; its quota 'q-{suffix}' allows 2", tooMany.Err);
        Assert.Contains("Uses 1 apps, 2 instances", (await cloud.Cli.RunAsync("org", org)).Out);

        var apps = await dev.RunAsync("apps", "--json");
        var mine = JsonNode.Parse(apps.Out)!.AsArray().Single(a => (string?)a!["name"] == app)!;
        Assert.Equal(2, (int)mine["instances"]!);
        Assert.Equal(HttpStatusCode.OK, (await ThroughEdgeAsync(app)).StatusCode);

        var other = await LoggedInAsync(stranger, "stranger password");
        Assert.DoesNotContain(app, (await other.RunAsync("apps")).All);
        var peek = await other.RunAsync("logs", app, "--recent");
        Assert.Equal(1, peek.ExitCode);
        var targetOther = await other.RunAsync("target", "-o", org);
        Assert.Equal(1, targetOther.ExitCode);
        Assert.Contains($"no org named '{org}'", targetOther.Err);

        Assert.Equal(0, (await cloud.Cli.RunAsync("delete-org", org, "-f")).ExitCode);
    }

    private async Task<CliRunner> LoggedInAsync(string user, string password)
    {
        var home = new Granary.Tests.Cli.TempDir();
        _homes.Add(home);
        var runner = new CliRunner(home.Path);
        var api = (string)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(cloud.Cli.Home, "config.json")))!["api"]!;
        Assert.Equal(0, (await runner.RunAsync("target", api)).ExitCode);
        var login = await runner.RunAsync("login", "-u", user, "-p", password);
        Assert.True(login.ExitCode == 0, login.All);
        return runner;
    }

    public void Dispose() => _homes.ForEach(h => h.Dispose());

    private async Task<HttpResponseMessage> ThroughEdgeAsync(string app)
    {
        var edge = (string)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(cloud.Cli.Home, "config.json")))!["edge"]!;
        var port = new Uri(edge).Port;
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
            request.Headers.Host = $"{app}.localhost";
            var response = await Http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK || attempt > 50)
                return response;
            await Task.Delay(100);
        }
    }
}
