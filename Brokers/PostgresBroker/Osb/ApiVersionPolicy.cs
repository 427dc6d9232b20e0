namespace Granary.Brokers.Postgres.Osb;

/// <summary>Which X-Broker-API-Version values the broker serves: 2.x from 2.14 on (async bindings, GET endpoints).</summary>
public static class ApiVersionPolicy
{
    public const string HeaderName = "X-Broker-API-Version";
    public const int Major = 2;
    public const int MinimumMinor = 14;

    /// <summary>Null when the header is acceptable, else the description for the 412 answer.</summary>
    public static string? Problem(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            return $"The {HeaderName} header is required; this broker speaks Open Service Broker API {Major}.{MinimumMinor} or later (send 2.17).";
        var parts = header.Trim().Split('.');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var major) || !int.TryParse(parts[1], out var minor))
            return $"{HeaderName} '{header}' is not MAJOR.MINOR; send 2.17.";
        if (major != Major || minor < MinimumMinor)
            return $"{HeaderName} {header} is not supported; this broker needs {Major}.{MinimumMinor} or later within major version {Major} (send 2.17).";
        return null;
    }
}
