namespace Granary.Brokers.Postgres.Provisioning;

/// <summary>What a binding returns: one login on one database, in the forms app libraries expect.</summary>
public static class Credentials
{
    public static Dictionary<string, object> For(string host, int port, string database, string username, string password)
    {
        var hostPort = host.Contains(':') && !host.StartsWith('[') ? $"[{host}]:{port}" : $"{host}:{port}";
        var user = Uri.EscapeDataString(username);
        var secret = Uri.EscapeDataString(password);
        var db = Uri.EscapeDataString(database);
        return new Dictionary<string, object>
        {
            ["uri"] = $"postgres://{user}:{secret}@{hostPort}/{db}",
            ["host"] = host,
            ["port"] = port,
            ["database"] = database,
            ["name"] = database,
            ["username"] = username,
            ["password"] = password,
            ["jdbcUrl"] = $"jdbc:postgresql://{hostPort}/{db}?user={user}&password={secret}",
        };
    }
}
