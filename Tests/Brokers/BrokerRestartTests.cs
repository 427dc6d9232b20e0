using System.Net;
using Granary.Tests.Support.Postgres;

namespace Granary.Tests.Brokers;

/// <summary>The broker as its own process: its bookkeeping is in PostgreSQL, so a kill -9 loses nothing.</summary>
public sealed class BrokerRestartTests
{
    [Fact]
    public async Task Broker_KilledAndStartedAgain_RemembersInstancesAndBindings()
    {
        var admin = await (await TestPostgres.Shared).CreateDatabaseAsync("broker");
        var id = Guid.NewGuid().ToString();
        string password;
        await using (var first = await BrokerProcess.StartAsync(admin))
        {
            using var osb = first.Client();
            Assert.Equal(HttpStatusCode.Created, (await osb.ProvisionAsync(id, OsbClient.SmallPlan)).Status);
            var bound = await osb.BindAsync(id, "b-" + id, OsbClient.SmallPlan);
            password = bound.Body.GetProperty("credentials").GetProperty("password").GetString()!;
            Assert.DoesNotContain(password, first.Output);
            await first.KillAsync();
        }

        await using var second = await BrokerProcess.StartAsync(admin);
        using var again = second.Client();
        var reprovision = await again.ProvisionAsync(id, OsbClient.SmallPlan);
        var rebind = await again.BindAsync(id, "b-" + id, OsbClient.SmallPlan);

        Assert.Equal(HttpStatusCode.OK, reprovision.Status);
        Assert.Equal(HttpStatusCode.OK, rebind.Status);
        Assert.Equal(password, rebind.Body.GetProperty("credentials").GetProperty("password").GetString());
        Assert.Equal(HttpStatusCode.OK, (await again.UnbindAsync(id, "b-" + id, OsbClient.SmallPlan)).Status);
        Assert.Equal(HttpStatusCode.OK, (await again.DeprovisionAsync(id, OsbClient.SmallPlan)).Status);
    }

    [Fact]
    public async Task Broker_KilledMidAsyncProvision_FinishesTheOperationWhenStartedAgain()
    {
        var admin = await (await TestPostgres.Shared).CreateDatabaseAsync("broker");
        var id = Guid.NewGuid().ToString();
        string operation;
        await using (var slow = await BrokerProcess.StartAsync(admin, settings: new Dictionary<string, string> { ["Broker__AsyncStartDelay"] = "00:05:00" }))
        {
            using var osb = slow.Client();
            var accepted = await osb.ProvisionAsync(id, OsbClient.SmallPlan, acceptsIncomplete: true);
            Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
            operation = accepted.Text("operation")!;
            await slow.KillAsync();
        }

        await using var restarted = await BrokerProcess.StartAsync(admin);
        using var platform = restarted.Client();
        var finished = await platform.WaitForOperationAsync(id, operation);

        Assert.Equal("succeeded", finished.Text("state"));
        Assert.True(await new ServerInspector(admin).DatabaseExistsAsync((await new ServerInspector(admin).DatabaseOfInstanceAsync(id))!));
        Assert.Equal(HttpStatusCode.Created, (await platform.BindAsync(id, "b-" + id, OsbClient.SmallPlan)).Status);
    }
}
