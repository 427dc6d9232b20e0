using Granary.Cluster;
using Granary.Users;

namespace Granary.Tests.Users;

[Collection(UsersCollection.Name)]
public sealed class JoinTokenGrainTests(UsersCluster cluster)
{
    [Fact]
    public async Task Check_WithinItsLifetimeOnly_AndStoredOnlyAsAHash()
    {
        var grain = cluster.Cluster.Client.GetGrain<IJoinTokenGrain>("test-" + Guid.NewGuid().ToString("N"));
        var issued = await grain.Issue(TimeSpan.FromHours(1), "admin");
        Assert.True(SessionTokenFormat.TryParse(issued.Token, IJoinTokenGrain.Prefix, out var id, out var secret));

        Assert.True(await grain.Check(id, secret));
        Assert.False(await grain.Check(id, secret + "x"));
        Assert.DoesNotContain(secret, string.Join("\n", cluster.Storage.AllJson));

        cluster.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.False(await grain.Check(id, secret));
    }
}
