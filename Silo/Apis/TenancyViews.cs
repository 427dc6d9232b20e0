using Granary.Tenancy;

namespace Granary.Silo.Apis;

/// <summary>A space as the API shows it.</summary>
public sealed record SpaceView(string Id, string Name, Guid OrgId, string Org)
{
    public static SpaceView From(SpaceInfo space) => new(space.Id, space.Name, space.OrgId, space.OrgName);
}

/// <summary>An org with the spaces the caller may see.</summary>
public sealed record OrgView(Guid Id, string Name, DateTimeOffset CreatedAt, string CreatedBy, IReadOnlyList<SpaceView> Spaces);

/// <summary>A user's roles in an org or a space.</summary>
public sealed record MemberView(string Name, IReadOnlyList<string> Roles);

/// <summary>POST /v1/orgs and POST /v1/orgs/{org}/spaces.</summary>
public sealed record NameBody(string? Name);

/// <summary>What a forced delete removed, so the caller can say it.</summary>
public sealed record DeletedView(IReadOnlyList<string> Apps, IReadOnlyList<string> Spaces);

/// <summary>Pure: parses role names as the CLI and API take them (CF v3's names, any case).</summary>
public static class RoleNames
{
    public static bool TryOrg(string text, out OrgRole role) => TryParse(text, out role);

    public static bool TrySpace(string text, out SpaceRole role) => TryParse(text, out role);

    // Names only: Enum.TryParse also takes numbers, and "2" is no role anyone would type.
    private static bool TryParse<T>(string text, out T role) where T : struct, Enum
    {
        role = default;
        return !text.Any(char.IsDigit) && Enum.TryParse(text, ignoreCase: true, out role) && Enum.IsDefined(role);
    }

    public const string OrgRoles = "OrgManager, OrgAuditor or OrgUser";

    public const string SpaceRoles = "SpaceManager, SpaceDeveloper or SpaceAuditor";
}
