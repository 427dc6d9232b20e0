namespace Granary.Cli.Micro;

/// <summary>Where a micro cloud keeps its files under the Granary home.</summary>
internal sealed record MicroPaths(string Home)
{
    public string Dir => Path.Combine(Home, "micro");
    public string Data => Path.Combine(Dir, "data");
    public string AdminToken => Path.Combine(Dir, "admin-token");
    public string AdminPassword => Path.Combine(Dir, "admin-password");
    public string State => Path.Combine(Dir, "micro.json");
    public string SiloPid => Path.Combine(Dir, "silo.pid");
    public string SiloLog => Path.Combine(Dir, "silo.log");
    public string EdgePid => Path.Combine(Dir, "edge.pid");
    public string EdgeLog => Path.Combine(Dir, "edge.log");
    public string BrokerPid => Path.Combine(Dir, "broker.pid");
    public string BrokerLog => Path.Combine(Dir, "broker.log");
    public string BrokerPort => Path.Combine(Dir, "broker-port");
    public string BrokerPassword => Path.Combine(Dir, "broker-password");
    public string Postgres => Path.Combine(Dir, "postgres");
    public string PostgresData => Path.Combine(Postgres, "data");
    public string PostgresPort => Path.Combine(Postgres, "port");
}

/// <summary>What <c>micro up</c> started, so a second <c>up</c> can say where it is.</summary>
internal sealed record MicroState(string Api, string? Edge, string Domain, bool Ephemeral = false);
