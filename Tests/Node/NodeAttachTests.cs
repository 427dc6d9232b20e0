using Granary.Tests.Cli;

namespace Granary.Tests.Node;

public sealed class NodeAttachTests
{
    [Fact]
    public async Task Attach_CoreRunsAnotherVersion_RefusedWithOneClearLine()
    {
        using var home = new TempDir();
        using var core = new StubApi(request => request.Url!.AbsolutePath == "/v1/info"
            ? StubApi.Json("""{"version":"9.9.9","domain":"example.com","nodeId":"core"}""")
            : StubApi.Problem(500, "unexpected", "the attach must stop at the version check"));

        var run = await CliRun.RunAsync(home.Path, null, "node", "attach", "-e", "dea", core.Url, "--token", "t0k3n-0123456789abcdef");

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrLines);
        Assert.Contains("the core runs 9.9.9", line);
        Assert.Equal(["GET /v1/info"], core.Requests);
        Assert.False(File.Exists(Path.Combine(home.Path, "node", "node.json")));
    }

    [Fact]
    public async Task Attach_WrongToken_SaysWhichTokenToUse()
    {
        using var home = new TempDir();
        using var core = new StubApi(request => request.Url!.AbsolutePath == "/v1/info"
            ? StubApi.Json($$"""{"version":"{{Granary.Cli.CliVersion.Value}}"}""")
            : StubApi.Problem(401, "Unauthorized", "missing or wrong token"));

        var run = await CliRun.RunAsync(home.Path, null, "node", "attach", "-e", "dea", core.Url, "--token", "wrong");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("refused the token", Assert.Single(run.ErrLines));
    }

    [Fact]
    public async Task RoleAdd_NotANode_SaysHowToBecomeOne()
    {
        using var home = new TempDir();
        var run = await CliRun.RunAsync(home.Path, null, "role", "add", "router");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("granary node setup core, or granary node attach", Assert.Single(run.ErrLines));
    }
}
