using System.Net;
using System.Text;
using Granary.Cli;
using Granary.Cli.Api;

namespace Granary.Tests.Cli;

public class GranaryApiClientTests
{
    [Fact]
    public async Task SendAsync_ProblemWithDetail_ThrowsWithTheDetail()
    {
        using var stub = new StubApi(_ => StubApi.Problem(404, "Not Found", "No app with id 42."));
        using var client = new GranaryApiClient(stub.Url, "t");

        var error = await Assert.ThrowsAsync<ApiException>(() => client.GetAppAsync("42", CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Equal("No app with id 42.", error.Message);
    }

    [Fact]
    public async Task SendAsync_ProblemWithoutDetail_ThrowsWithTheTitle()
    {
        using var stub = new StubApi(_ => StubApi.Problem(401, "Unauthorized", null));
        using var client = new GranaryApiClient(stub.Url, "bad");

        var error = await Assert.ThrowsAsync<ApiException>(() => client.ListAppsAsync(CancellationToken.None));

        Assert.Equal("Unauthorized", error.Message);
    }

    [Fact]
    public async Task SendAsync_NonJsonError_NamesTheStatus()
    {
        using var stub = new StubApi(_ => (502, "text/plain", "upstream\nexploded"));
        using var client = new GranaryApiClient(stub.Url, null);

        var error = await Assert.ThrowsAsync<ApiException>(() => client.ListAppsAsync(CancellationToken.None));

        Assert.Contains("502", error.Message);
        Assert.Contains("upstream exploded", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task SendAsync_NothingListening_SaysHowToStartTheMicroCloud()
    {
        var url = $"http://127.0.0.1:{StubApi.FreePort()}";
        using var client = new GranaryApiClient(url, null);

        var error = await Assert.ThrowsAsync<CliException>(() => client.GetInfoAsync(CancellationToken.None));

        Assert.Equal($"cannot reach the Granary API at {url} (is the micro cloud up? ./granary micro up)", error.Message);
    }

    [Fact]
    public async Task SendAsync_Token_IsSentAsBearer()
    {
        using var stub = new StubApi(_ => StubApi.Json("[]"));
        using var client = new GranaryApiClient(stub.Url, "secret-token");

        await client.ListAppsAsync(CancellationToken.None);

        Assert.Equal("Bearer secret-token", Assert.Single(stub.Authorizations));
    }

    [Fact]
    public async Task FindAppAsync_NameFilter_IsEscapedAndMatchedExactly()
    {
        using var stub = new StubApi(_ => StubApi.Json("""[{"id":"1","name":"other","state":"STARTED","instances":1,"memoryMb":256}]"""));
        using var client = new GranaryApiClient(stub.Url, null);

        var app = await client.FindAppAsync("web app", CancellationToken.None);

        Assert.Null(app);
        Assert.Equal("GET /v1/apps?name=web%20app", Assert.Single(stub.Requests));
    }

    [Fact]
    public async Task GetAppAsync_UnexpectedBody_FailsClearly()
    {
        using var stub = new StubApi(_ => StubApi.Json("<html>"));
        using var client = new GranaryApiClient(stub.Url, null);

        var error = await Assert.ThrowsAsync<CliException>(() => client.GetAppAsync("1", CancellationToken.None));

        Assert.StartsWith("unexpected answer from", error.Message);
    }

    [Fact]
    public async Task GetAppAsync_UnknownFieldsAndStates_AreTolerated()
    {
        using var stub = new StubApi(_ => StubApi.Json("""
            {"id":"1","name":"web","state":"SOMETHING_NEW","instances":2,"memoryMb":512,"future":{"x":1},
             "staging":{"state":"STAGED","buildId":"b1"},"instanceDetails":[{"index":0,"state":"RUNNING","port":4000}]}
            """));
        using var client = new GranaryApiClient(stub.Url, null);

        var (app, raw) = await client.GetAppAsync("1", CancellationToken.None);

        Assert.Equal("SOMETHING_NEW", app.State);
        Assert.Equal("b1", app.Staging!.BuildId);
        Assert.Equal(4000, app.InstanceDetails![0].Port);
        Assert.Contains("future", raw);
    }

    [Fact]
    public async Task ReadNdjsonAsync_KeepAlivesAndBlankLines_AreSkipped()
    {
        var ndjson = """
            {"seq":1,"time":"2025-01-01T12:00:00Z","source":"STG","stream":"OUT","text":"Installing"}
            {}

            {"seq":2,"time":"2025-01-01T12:00:01Z","source":"APP/0","stream":"ERR","text":"boom"}
            not json
            """;

        var lines = new List<LogLine>();
        await foreach (var line in GranaryApiClient.ReadNdjsonAsync(new MemoryStream(Encoding.UTF8.GetBytes(ndjson)), CancellationToken.None))
            lines.Add(line);

        Assert.Equal(["Installing", "boom"], lines.Select(l => l.Text));
        Assert.Equal("APP/0", lines[1].Source);
    }

    [Fact]
    public async Task GetRecentLogsAsync_AsksForTheCount()
    {
        using var stub = new StubApi(_ => (200, "application/x-ndjson", "{}\n"));
        using var client = new GranaryApiClient(stub.Url, null);

        var lines = await client.GetRecentLogsAsync("7", 20, CancellationToken.None);

        Assert.Empty(lines);
        Assert.Equal("GET /v1/apps/7/logs?recent=20", Assert.Single(stub.Requests));
    }

    [Theory]
    [InlineData("{\"title\":\"Bad\",\"detail\":\"line one\\nline two\"}", "line one line two")]
    [InlineData("{\"title\":\"Conflict\",\"detail\":\"  \"}", "Conflict")]
    [InlineData("", "the API answered 500 Internal Server Error")]
    public void Message_VariousBodies_GivesOneActionableLine(string body, string expected)
    {
        Assert.Equal(expected, ProblemReader.Message(HttpStatusCode.InternalServerError, "Internal Server Error", body));
    }
}
