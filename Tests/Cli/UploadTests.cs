using Granary.Cli;
using Granary.Cli.Api;

namespace Granary.Tests.Cli;

public class UploadTests
{
    // Far more than the socket buffers hold, so the client is still writing when the server hangs up.
    private const long LargeUpload = 64L * 1024 * 1024;

    private static string LargeArchive(TempDir dir)
    {
        var path = dir.File("app.tar.gz");
        using var file = File.OpenWrite(path);
        file.SetLength(LargeUpload);
        return path;
    }

    [Fact]
    public async Task UploadPackageAsync_RefusedFromTheHeaders_AsksToContinueAndGivesTheDetail()
    {
        using var server = new ScriptedHttpServer(stream => ScriptedHttpServer.ProblemAsync(stream, 413, "the upload is 64 MB; the limit is 1 MB"));
        using var dir = new TempDir();
        using var client = new GranaryApiClient(server.Url, "t");

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            client.UploadPackageAsync(LargeArchive(dir), "application/gzip", null, CancellationToken.None));

        await server.Finished;
        Assert.Equal("the upload is 64 MB; the limit is 1 MB", error.Message);
        Assert.Contains("Expect: 100-continue", server.Headers, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UploadPackageAsync_RefusedMidBody_StillGivesTheDetail()
    {
        using var server = new ScriptedHttpServer(async stream =>
        {
            await ScriptedHttpServer.WriteAsync(stream, "HTTP/1.1 100 Continue\r\n\r\n");
            await ScriptedHttpServer.SkipAsync(stream, 1024 * 1024);
            await ScriptedHttpServer.ProblemAsync(stream, 413, "too large after all");
        });
        using var dir = new TempDir();
        using var client = new GranaryApiClient(server.Url, "t");

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            client.UploadPackageAsync(LargeArchive(dir), "application/gzip", null, CancellationToken.None));

        Assert.Equal("too large after all", error.Message);
    }

    [Fact]
    public async Task UploadPackageAsync_ClosedWithoutAnswer_SaysTheUploadWasClosedEarly()
    {
        using var server = new ScriptedHttpServer(async stream =>
        {
            await ScriptedHttpServer.WriteAsync(stream, "HTTP/1.1 100 Continue\r\n\r\n");
            await ScriptedHttpServer.SkipAsync(stream, 1024 * 1024);
        });
        using var dir = new TempDir();
        using var client = new GranaryApiClient(server.Url, "t");

        var error = await Assert.ThrowsAsync<CliException>(() =>
            client.UploadPackageAsync(LargeArchive(dir), "application/gzip", null, CancellationToken.None));

        Assert.Equal(GranaryApiClient.UploadClosedMessage, error.Message);
    }

    [Fact]
    public async Task Push_PackageOverTheLimit_PrintsTheServersDetail()
    {
        using var server = new ScriptedHttpServer(stream => ScriptedHttpServer.ProblemAsync(stream, 413, "the upload is 64 MB; the limit is 1 MB"));
        using var home = new TempDir();
        using var dir = new TempDir();

        var run = await CliRun.RunAsync(home.Path, new Dictionary<string, string> { ["GRANARY_API"] = server.Url, ["GRANARY_TOKEN"] = "t" },
            "push", LargeArchive(dir), "--name", "big");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: the upload is 64 MB; the limit is 1 MB", Assert.Single(run.ErrLines));
    }
}
