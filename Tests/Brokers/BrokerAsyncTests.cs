using System.Net;
using Granary.Brokers.Postgres.Hosting;

namespace Granary.Tests.Brokers;

/// <summary>accepts_incomplete, 202, last_operation polling, ConcurrencyError and AsyncRequired.</summary>
public sealed class BrokerAsyncTests : IAsyncLifetime
{
    private BrokerServer _broker = null!;
    private OsbClient _osb = null!;

    public async Task InitializeAsync()
    {
        // Long enough that the test sees "in progress" and can send requests that collide with it.
        _broker = await BrokerServer.StartAsync(o => o.AsyncStartDelay = TimeSpan.FromSeconds(2));
        _osb = _broker.Client();
    }

    public async Task DisposeAsync()
    {
        _osb.Dispose();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Provision_AcceptsIncomplete_Returns202AndPollsToSucceeded()
    {
        var id = Guid.NewGuid().ToString();

        var accepted = await _osb.ProvisionAsync(id, OsbClient.SmallPlan, acceptsIncomplete: true);
        var operation = accepted.Text("operation");
        var polled = await _osb.LastOperationAsync(id, operation);
        var resent = await _osb.ProvisionAsync(id, OsbClient.SmallPlan, acceptsIncomplete: true);
        var resentSync = await _osb.ProvisionAsync(id, OsbClient.SmallPlan);
        var bindTooEarly = await _osb.BindAsync(id, "b-" + id, OsbClient.SmallPlan);
        var deleteTooEarly = await _osb.DeprovisionAsync(id, OsbClient.SmallPlan, acceptsIncomplete: true);
        var finished = await _osb.WaitForOperationAsync(id, operation);

        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.False(string.IsNullOrEmpty(operation));
        Assert.Equal("in progress", polled.Text("state"));
        Assert.Equal(HttpStatusCode.Accepted, resent.Status);
        Assert.Equal(operation, resent.Text("operation"));
        Assert.Equal("ConcurrencyError", resentSync.Text("error"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bindTooEarly.Status);
        Assert.Equal("ConcurrencyError", bindTooEarly.Text("error"));
        Assert.Equal("ConcurrencyError", deleteTooEarly.Text("error"));
        Assert.Equal("succeeded", finished.Text("state"));
        Assert.Equal(HttpStatusCode.OK, (await _osb.ProvisionAsync(id, OsbClient.SmallPlan, acceptsIncomplete: true)).Status);
        Assert.Equal(HttpStatusCode.Created, (await _osb.BindAsync(id, "b-" + id, OsbClient.SmallPlan)).Status);
    }

    [Fact]
    public async Task Deprovision_AcceptsIncomplete_Returns202ThenLastOperationSays410Gone()
    {
        var id = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await _osb.ProvisionAsync(id, OsbClient.SmallPlan)).Status);
        var server = new ServerInspector(_broker.AdminConnectionString);
        var database = (await server.DatabaseOfInstanceAsync(id))!;

        var accepted = await _osb.DeprovisionAsync(id, OsbClient.SmallPlan, acceptsIncomplete: true);
        var resent = await _osb.DeprovisionAsync(id, OsbClient.SmallPlan, acceptsIncomplete: true);
        var finished = await _osb.WaitForOperationAsync(id, accepted.Text("operation"));

        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.Equal(accepted.Text("operation"), resent.Text("operation"));
        Assert.Equal(HttpStatusCode.Gone, finished.Status);
        Assert.False(await server.DatabaseExistsAsync(database));
        Assert.Equal(HttpStatusCode.Gone, (await _osb.DeprovisionAsync(id, OsbClient.SmallPlan)).Status);
    }

    [Fact]
    public async Task LastOperation_UnknownOperationOrInstance_Returns400Or404()
    {
        var id = Guid.NewGuid().ToString();
        await _osb.ProvisionAsync(id, OsbClient.SmallPlan);

        Assert.Equal(HttpStatusCode.BadRequest, (await _osb.LastOperationAsync(id, "op-nope")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _osb.LastOperationAsync(Guid.NewGuid().ToString())).Status);
        Assert.Equal("succeeded", (await _osb.LastOperationAsync(id)).Text("state"));
    }

    [Fact]
    public async Task Broker_ConfiguredAsyncOnly_RefusesRequestsWithoutAcceptsIncompleteWith422AsyncRequired()
    {
        await using var asyncOnly = await BrokerServer.StartAsync(o => o.Async = AsyncPolicy.Required);
        using var osb = asyncOnly.Client();
        var id = Guid.NewGuid().ToString();

        var refused = await osb.ProvisionAsync(id, OsbClient.SmallPlan);
        var accepted = await osb.ProvisionAsync(id, OsbClient.SmallPlan, acceptsIncomplete: true);
        var finished = await osb.WaitForOperationAsync(id, accepted.Text("operation"));
        var refusedDelete = await osb.DeprovisionAsync(id, OsbClient.SmallPlan);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Equal("AsyncRequired", refused.Text("error"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.Equal("succeeded", finished.Text("state"));
        Assert.Equal("AsyncRequired", refusedDelete.Text("error"));
    }
}
