using System.Net;
using System.Text.Json.Nodes;
using Granary.Tests.Apis;

namespace Granary.Tests.Services;

/// <summary>A broker that answers slowly, fails, or drops the connection mid-provision: the platform cleans up.</summary>
[Collection(ServicesCollection.Name)]
public sealed class OrphanMitigationTests(ServicesFixture fx) : IAsyncLifetime
{
    private MisbehavingBroker _broker = null!;
    private string _brokerName = "";

    public async Task InitializeAsync()
    {
        _broker = await MisbehavingBroker.StartAsync();
        _brokerName = ServicesCollection.Unique("bad");
        var registered = await fx.Api.PostJson("/v1/service_brokers", new { name = _brokerName, url = _broker.Url, username = "u", password = "p" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Theory]
    [InlineData("slow")]
    [InlineData("fail")]
    [InlineData("drop")]
    public async Task Provision_TimeoutServerErrorOrDroppedConnection_FailsAndDeprovisionsUntilTheBrokerAgrees(string plan)
    {
        var name = ServicesCollection.Unique(plan);

        var response = await fx.Api.PostJson("/v1/service_instances", new { name, service = "misbehaving", plan, broker = _brokerName });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fx.Api.GetAsync($"/v1/service_instances/{name}")).StatusCode);
        var instanceId = InstanceIdOf(plan);
        // The first delete gets a 500; mitigation keeps trying until a 200.
        await WaitUntilAsync(() => _broker.DeletesOf(instanceId) >= 2);
        // Nothing of the failed attempt is left on the platform: the name is free again.
        var retry = await fx.Api.PostJson("/v1/service_instances", new { name, service = "misbehaving", plan = "async-ok", broker = _brokerName });
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
    }

    [Fact]
    public async Task Provision_RefusedWith4xx_FailsWithTheBrokersReasonAndSendsNoDelete()
    {
        var name = ServicesCollection.Unique("refuse");

        var response = await fx.Api.PostJson("/v1/service_instances", new { name, service = "misbehaving", plan = "refuse", broker = _brokerName });
        await Task.Delay(1000);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("quota exceeded", (string)(await response.Json())["detail"]!);
        Assert.DoesNotContain(_broker.Requests, r => r.StartsWith("DELETE"));
    }

    [Fact]
    public async Task Provision_Asynchronous_PollsLastOperationUntilReady()
    {
        var name = ServicesCollection.Unique("async");

        var response = await fx.Api.PostJson("/v1/service_instances", new { name, service = "misbehaving", plan = "async-ok", broker = _brokerName });
        var ready = await WaitForStatusAsync(name, "READY");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("CREATE_IN_PROGRESS", (string)(await response.Json())["status"]!);
        Assert.Equal("READY", (string)ready["status"]!);
        Assert.True(_broker.Requests.Count(r => r.EndsWith("/last_operation")) >= 3);
    }

    [Fact]
    public async Task Provision_AsynchronousFailure_MarksCreateFailedAndDeprovisions()
    {
        var name = ServicesCollection.Unique("asyncfail");

        await fx.Api.PostJson("/v1/service_instances", new { name, service = "misbehaving", plan = "async-fail", broker = _brokerName });
        var failed = await WaitForStatusAsync(name, "CREATE_FAILED");

        Assert.Contains("poll", (string)failed["message"]!);
        await WaitUntilAsync(() => _broker.DeletesOf(Guid.Parse((string)failed["id"]!)) >= 2);
        // The user can still delete what failed; the broker already forgot it (its deletes now answer 200).
        Assert.Equal(HttpStatusCode.NoContent, (await fx.Api.DeleteAsync($"/v1/service_instances/{name}")).StatusCode);
    }

    private Guid InstanceIdOf(string plan)
    {
        // The PUT for this plan is the most recent one: its path names the instance id the platform chose.
        var put = _broker.Requests.Last(r => r.StartsWith("PUT /v2/service_instances/"));
        return Guid.Parse(put["PUT /v2/service_instances/".Length..]);
    }

    private async Task<JsonNode> WaitForStatusAsync(string name, string status)
    {
        JsonNode? last = null;
        await WaitUntilAsync(async () =>
        {
            last = await (await fx.Api.GetAsync($"/v1/service_instances/{name}")).Json();
            return (string?)last["status"] == status;
        });
        return last!;
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail("the condition never held");
            await Task.Delay(100);
        }
    }
}
