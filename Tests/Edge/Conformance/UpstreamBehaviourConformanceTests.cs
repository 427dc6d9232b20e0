using System.Diagnostics;
using System.Text.Json.Nodes;
using Granary.Tests.EndToEnd;

namespace Granary.Tests.Edge.Conformance;

/// <summary>
/// Instances and clients that do not finish a response in one go: a body dribbled over 2 s, an instance that
/// drops the connection mid-body, and a client that leaves mid-download.
/// </summary>
[Collection(MicroCloudCollection.Name)]
public sealed class UpstreamBehaviourConformanceTests(ConformanceApp app) : IClassFixture<ConformanceApp>
{
    /// <summary>Longer than any pause the edge may legitimately add, far shorter than Kestrel's 130 s keep-alive.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("length")]
    [InlineData("chunked")]
    public async Task Get_InstanceDribblesBodyOver2Seconds_ArrivesWholeAsFromInstance(string mode)
    {
        await using var pair = await ConnectionPair.OpenAsync(app);

        var (direct, _) = await pair.ExchangeAsync($"GET /dribble ({mode})", new RawRequest("GET", $"/dribble?mode={mode}"));
        await pair.ExchangeAsync($"GET 1 byte after /dribble ({mode}) on the same connection", new RawRequest("GET", "/bytes/1"));

        Assert.Equal(10_000, direct.BodyLength);
    }

    /// <summary>
    /// The instance promises 100,000 bytes (or chunks), sends 40,000 and drops the connection. The client must be
    /// able to tell: the edge cuts its response short too (or answers 5xx before it started), and does so promptly.
    /// A body that looks whole, or a connection left open waiting for bytes that never come, is the failure.
    /// </summary>
    [Theory]
    [InlineData("length")]
    [InlineData("chunked")]
    public async Task Get_InstanceClosesMidBody_ClientSeesTruncationPromptly(string mode)
    {
        var @case = $"GET /close-mid-body ({mode})";
        var request = new RawRequest("GET", $"/close-mid-body?mode={mode}");
        await using var pair = await ConnectionPair.OpenAsync(app, Prompt);
        var direct = await pair.SendAsync(pair.Instance, @case, request);
        Assert.True(direct is { Status: 200, End: BodyEnd.Truncated, BodyLength: 40_000 }, $"{@case}: the instance itself answered {direct}");

        var clock = Stopwatch.StartNew();
        var edge = await pair.SendAsync(pair.Edge, @case, request);
        clock.Stop();

        Assert.True(edge.Status >= 500 || edge.End == BodyEnd.Truncated,
            $"{@case}: through the edge the cut body reads as a whole one: {edge}");
        Assert.True(clock.Elapsed < Prompt, $"{@case}: the edge took {clock.Elapsed.TotalSeconds:0.0} s to end the response");
        if (edge.Status == 200)
        {
            Assert.True(edge.BodyLength <= 40_000 && Pattern.FirstDifference(edge.Body) < 0,
                $"{@case}: through the edge the {edge.BodyLength:N0} bytes before the cut are not the instance's first bytes");
            Assert.Equal(direct.Header("Content-Length"), edge.Header("Content-Length"));
        }
    }

    /// <summary>
    /// A client that stops reading and closes mid-download must not leave the instance streaming to the edge:
    /// the edge has to give up its connection to the instance, which the app counts as an aborted response.
    /// </summary>
    [Fact]
    public async Task Get_ClientLeavesMidDownload_InstanceSeesResponseAborted()
    {
        var before = await app.StatsAsync();
        await using (var edge = await app.EdgeAsync())
        {
            var partial = await edge.SendAsync(new RawRequest("GET", "/endless") { ReadAtMost = 1024 * 1024 });
            Assert.True(partial is { Status: 200, End: BodyEnd.StoppedByClient }, $"GET /endless through the edge answered {partial}");
        }

        var clock = Stopwatch.StartNew();
        JsonNode after;
        while (Count(after = await app.StatsAsync(), "endlessAborted") <= Count(before, "endlessAborted"))
        {
            Assert.True(clock.Elapsed < Prompt,
                $"{Prompt.TotalSeconds:0} s after the client left, the instance still streams /endless to the edge: "
                + $"before {before.ToJsonString()}, now {after.ToJsonString()}\nedge log:\n{app.EdgeLog()}");
            await Task.Delay(200);
        }

        Assert.Equal(Count(before, "endlessStarted") + 1, Count(after, "endlessStarted"));
        Assert.Equal(Count(before, "endlessCompleted"), Count(after, "endlessCompleted"));
    }

    private static int Count(JsonNode stats, string name) => (int)stats[name]!;
}
