using System.Collections.Immutable;
using Granary.Cluster;
using Granary.Tenancy;
using Granary.Users;

namespace Granary.Tests.Storage;

/// <summary>The tenancy, user, session and join-token records survive a write and a read with the silo's options.</summary>
public sealed class TenancyStateJsonTests
{
    private static T RoundTrip<T>(T value) => StateJsonTests.RoundTrip(value);

    [Fact]
    public void TenancyState_OrgsSpacesRolesQuotasAudit_RoundTrip()
    {
        var user = Guid.NewGuid();
        var now = DateTimeOffset.Parse("2026-12-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var space = new SpaceRecord
        {
            Id = "abc", Name = "dev", CreatedAt = now, Quota = "tiny",
            Roles = ImmutableSortedDictionary<Guid, RoleGrant<SpaceRole>>.Empty.Add(user,
                new RoleGrant<SpaceRole> { UserName = "bob", Roles = [SpaceRole.SpaceDeveloper, SpaceRole.SpaceAuditor] }),
        };
        var org = new OrgRecord
        {
            Id = Guid.NewGuid(), Name = "acme", CreatedAt = now, CreatedBy = "admin", Quota = "small",
            Spaces = ImmutableSortedDictionary<string, SpaceRecord>.Empty.Add(space.Id, space),
            Roles = ImmutableSortedDictionary<Guid, RoleGrant<OrgRole>>.Empty.Add(user, new RoleGrant<OrgRole> { UserName = "bob", Roles = [OrgRole.OrgUser] }),
            Audit = [new AuditEntry(now, "space.created", "space dev created", "admin")],
        };
        var state = new TenancyState
        {
            Orgs = ImmutableSortedDictionary<Guid, OrgRecord>.Empty.Add(org.Id, org),
            OrgQuotas = ImmutableSortedDictionary<string, QuotaPlan>.Empty.Add("small", new QuotaPlan("small", MemoryMb: 1024, Apps: 3)),
        };

        var back = RoundTrip(state).Orgs[org.Id];

        Assert.Equal("acme", back.Name);
        Assert.Equal("small", back.Quota);
        Assert.Equal([SpaceRole.SpaceDeveloper, SpaceRole.SpaceAuditor], back.Spaces["abc"].Roles[user].Roles.OrderBy(r => r));
        Assert.Equal([OrgRole.OrgUser], back.Roles[user].Roles);
        Assert.Equal(org.Audit[0], back.Audit.Single());
        Assert.Equal(new QuotaPlan("small", MemoryMb: 1024, Apps: 3), RoundTrip(state).OrgQuotas["small"]);
    }

    [Fact]
    public void UserSessionAndJoinTokenStates_RoundTrip()
    {
        var now = DateTimeOffset.Parse("2026-12-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var stored = new StoredUser { Id = Guid.NewGuid(), Name = "alice", PasswordHash = "AQAAAA…", Admin = true, CreatedAt = now, Sessions = [Guid.NewGuid()] };
        var users = new UserDirectoryState { Users = ImmutableSortedDictionary<string, StoredUser>.Empty.Add("alice", stored) };
        var session = new SessionState { UserId = stored.Id, UserName = "alice", Admin = true, AccessHash = "aa", AccessExpiresAt = now, RefreshHash = "bb", RefreshExpiresAt = now, User = stored.ToInfo() };
        var join = new JoinTokenState { Tokens = ImmutableSortedDictionary<Guid, StoredJoinToken>.Empty.Add(Guid.NewGuid(), new StoredJoinToken("cc", now, "admin")) };

        Assert.Equal(stored.Sessions.ToArray(), RoundTrip(users).Users["alice"].Sessions.ToArray());
        Assert.Equal(session, RoundTrip(session));
        Assert.Equal(join.Tokens.Single().Value, RoundTrip(join).Tokens.Single().Value);
    }
}
