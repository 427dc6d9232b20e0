using System.Collections.Immutable;
using Granary.Tenancy;

namespace Granary.Tests.Tenancy;

public sealed class TenancyAccessTests
{
    private static readonly Guid OrgA = Guid.NewGuid();
    private static readonly Guid OrgB = Guid.NewGuid();

    private static CallerScope Scope(OrgRole[]? orgA = null, SpaceRole[]? devA = null) => new(
        false,
        orgA is null ? ImmutableDictionary<Guid, ImmutableArray<OrgRole>>.Empty : ImmutableDictionary<Guid, ImmutableArray<OrgRole>>.Empty.Add(OrgA, [.. orgA]),
        devA is null ? ImmutableDictionary<string, ImmutableArray<SpaceRole>>.Empty : ImmutableDictionary<string, ImmutableArray<SpaceRole>>.Empty.Add("a-dev", [.. devA]),
        orgA is null && devA is null
            ? ImmutableDictionary<string, Guid>.Empty
            : ImmutableDictionary<string, Guid>.Empty.Add("a-dev", OrgA).Add("a-prod", OrgA));

    public static TheoryData<string, OrgRole[]?, SpaceRole[]?, SpaceAccess, SpaceAccess> Cases => new()
    {
        { "no role anywhere", null, null, SpaceAccess.None, SpaceAccess.None },
        { "developer", null, [SpaceRole.SpaceDeveloper], SpaceAccess.Write, SpaceAccess.None },
        { "space manager", null, [SpaceRole.SpaceManager], SpaceAccess.Read, SpaceAccess.None },
        { "space auditor", null, [SpaceRole.SpaceAuditor], SpaceAccess.Read, SpaceAccess.None },
        { "auditor and developer", null, [SpaceRole.SpaceAuditor, SpaceRole.SpaceDeveloper], SpaceAccess.Write, SpaceAccess.None },
        { "org manager", [OrgRole.OrgManager], null, SpaceAccess.Read, SpaceAccess.Read },
        { "org auditor", [OrgRole.OrgAuditor], null, SpaceAccess.Read, SpaceAccess.Read },
        { "org user", [OrgRole.OrgUser], null, SpaceAccess.None, SpaceAccess.None },
        { "org user and developer of one space", [OrgRole.OrgUser], [SpaceRole.SpaceDeveloper], SpaceAccess.Write, SpaceAccess.None },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ToSpace_Roles_AccessToTheirSpaceAndItsSibling(string who, OrgRole[]? orgRoles, SpaceRole[]? spaceRoles, SpaceAccess dev, SpaceAccess prod)
    {
        var scope = Scope(orgRoles, spaceRoles);

        Assert.True(dev == TenancyAccess.ToSpace(scope, "a-dev"), who);
        Assert.True(prod == TenancyAccess.ToSpace(scope, "a-prod"), who);
        Assert.Equal(SpaceAccess.None, TenancyAccess.ToSpace(scope, "b-dev"));
    }

    [Fact]
    public void Admin_EverySpace_Write() =>
        Assert.Equal(SpaceAccess.Write, TenancyAccess.ToSpace(CallerScope.ClusterAdmin, "any-space"));

    [Fact]
    public void SeesOrg_RoleOnlyInOneOfItsSpaces_SeesItButNotAnotherOrg()
    {
        var scope = Scope(devA: [SpaceRole.SpaceAuditor]);

        Assert.True(TenancyAccess.SeesOrg(scope, OrgA));
        Assert.False(TenancyAccess.SeesOrg(scope, OrgB));
    }

    [Fact]
    public void Manages_OrgManager_ManagesTheOrgAndEachOfItsSpaces()
    {
        var scope = Scope(orgA: [OrgRole.OrgManager]);

        Assert.True(TenancyAccess.ManagesOrg(scope, OrgA));
        Assert.True(TenancyAccess.ManagesSpace(scope, "a-prod"));
        Assert.False(TenancyAccess.ManagesOrg(scope, OrgB));
    }

    [Fact]
    public void Manages_SpaceManager_ThatSpaceOnly()
    {
        var scope = Scope(devA: [SpaceRole.SpaceManager]);

        Assert.True(TenancyAccess.ManagesSpace(scope, "a-dev"));
        Assert.False(TenancyAccess.ManagesSpace(scope, "a-prod"));
        Assert.False(TenancyAccess.ManagesOrg(scope, OrgA));
    }
}
