using Granary.Tenancy;

namespace Granary.Silo.Auth;

/// <summary>The caller's roles (<see cref="CallerScope"/>), read once per request from the tenancy grain.</summary>
public static class CallerScopes
{
    private static readonly object Key = new();

    public static async Task<CallerScope> ScopeAsync(this HttpContext http, IGrainFactory grains)
    {
        if (http.Items.TryGetValue(Key, out var cached) && cached is CallerScope scope)
            return scope;
        scope = GranaryClaims.IsAdmin(http.User)
            ? CallerScope.ClusterAdmin
            : await grains.GetGrain<ITenancyGrain>(ITenancyGrain.Key).ScopeOf(GranaryClaims.UserOf(http.User), admin: false);
        http.Items[Key] = scope;
        return scope;
    }
}
