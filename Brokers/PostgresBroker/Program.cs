using Granary.Brokers.Postgres.Hosting;

// The Granary PostgreSQL service broker: an Open Service Broker API 2.17 server of its own (see README.md).
try
{
    var app = BrokerHost.Build(args);
    await app.StartBrokerAsync();
    await app.WaitForShutdownAsync();
    return 0;
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"postgres-broker: {e.Message}");
    return 1;
}
