namespace Granary.Users;

/// <summary>
/// Who made the change a grain is handling: the API puts the signed-in user's name in Orleans' request context, which
/// flows with every grain call made for that request, so events record their actor without each method taking one.
/// Changes the platform makes itself (restarts, evacuations) carry none.
/// </summary>
public static class Actor
{
    public const string ContextKey = "granary.actor";

    /// <summary>The platform, for events no user caused.</summary>
    public const string Platform = "granary";

    public static string? Current => RequestContext.Get(ContextKey) as string;

    public static void Set(string name) => RequestContext.Set(ContextKey, name);
}
