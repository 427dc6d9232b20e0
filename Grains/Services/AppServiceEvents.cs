namespace Granary.Services;

/// <summary>Event types bind and unbind add to an app's events (part of the API: never rename).</summary>
public static class AppServiceEvents
{
    public const string Bound = "app.service_bound";
    public const string Unbound = "app.service_unbound";
}
