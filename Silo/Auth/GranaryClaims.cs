using System.Security.Claims;

namespace Granary.Silo.Auth;

/// <summary>The claims an authenticated caller carries, and the policies built on them.</summary>
public static class GranaryClaims
{
    public const string UserId = "granary:user-id";
    public const string SessionId = "granary:session-id";
    public const string AdminRole = "admin";

    /// <summary>What a join token may do: read the join details and the node list.</summary>
    public const string JoinerRole = "joiner";

    public const string JoinPolicy = "join";

    /// <summary>Every endpoint that names no other policy: cluster admins only, until orgs and spaces give users their own objects.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>Any signed-in user: their own session and password.</summary>
    public const string UserPolicy = "user";

    public static string NameOf(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(AdminRole);

    public static Guid SessionOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(SessionId), out var id) ? id : Guid.Empty;

    public static Guid UserOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(UserId), out var id) ? id : Guid.Empty;
}
