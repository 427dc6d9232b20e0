using Granary.Edge.Hosting;
using Granary.Routes;
using Orleans.Configuration;

namespace Granary.Edge.Sync;

/// <summary>
/// The control plane through an Orleans client. Each connection is a client host of its own, built for one
/// attempt and thrown away when the connection is lost: a fresh client always reconnects cleanly, whatever
/// happened to the silo meanwhile, and its observer references die with it.
/// </summary>
public sealed class OrleansControlPlane(IConfiguration configuration, ILoggerFactory loggerFactory) : IControlPlane
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    public async Task<IControlPlaneSession> ConnectAsync(IControlPlaneEvents events, CancellationToken cancellation)
    {
        var status = new ConnectionStatus(events);
        Exception? lastError = null;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddSingleton<ILoggerFactory>(new InnerHostLoggerFactory(loggerFactory));
        // The edge process owns signals and shutdown; this inner host must not react to SIGTERM itself.
        builder.Services.AddSingleton<IHostLifetime, InnerHostLifetime>();
        builder.UseOrleansClient(client =>
        {
            EdgeClustering.Configure(client, configuration);
            client.UseConnectionRetryFilter(async (error, cancellation) =>
            {
                lastError = error;
                await Task.Delay(ConnectRetryDelay, cancellation);
                return true;
            });
            client.AddActivityPropagation();
            client.AddClusterConnectionStatusObserver(status);
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = CallTimeout);
        });
        var host = builder.Build();
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            attempt.CancelAfter(ConnectTimeout);
            await host.StartAsync(attempt.Token);
            var client = host.Services.GetRequiredService<IClusterClient>();
            var observer = client.CreateObjectReference<IRouteTableObserver>(events);
            return new Session(host, client.GetGrain<IRouteTableGrain>("cluster"), observer, status);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            await Session.StopAsync(host);
            throw new TimeoutException($"no gateway answered within {ConnectTimeout.TotalSeconds:0} s ({lastError?.Message ?? "no error reported"})");
        }
        catch
        {
            await Session.StopAsync(host);
            throw;
        }
    }

    /// <summary>The edge's loggers, minus the inner host's own lifecycle lines (a failed attempt is reported by RouteSync).</summary>
    private sealed class InnerHostLoggerFactory(ILoggerFactory loggers) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal)
                ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance
                : loggers.CreateLogger(categoryName);

        public void AddProvider(ILoggerProvider provider) => loggers.AddProvider(provider);

        public void Dispose()
        {
            // The edge's logger factory outlives every inner host.
        }
    }

    private sealed class InnerHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class Session(IHost host, IRouteTableGrain routeTable, IRouteTableObserver observer, ConnectionStatus status)
        : IControlPlaneSession
    {
        public IRouteTableGrain RouteTable => routeTable;

        public IRouteTableObserver Observer => observer;

        public CancellationToken Lost => status.Lost;

        public ValueTask DisposeAsync() => new(StopAsync(host));

        public static async Task StopAsync(IHost host)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await host.StopAsync(stop.Token);
            }
            catch (Exception)
            {
                // The cluster may be gone; all that matters is that this client's resources are released.
            }

            if (host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
    }

    private sealed class ConnectionStatus(IControlPlaneEvents events) : IClusterConnectionStatusObserver
    {
        private readonly CancellationTokenSource _lost = new();

        public CancellationToken Lost => _lost.Token;

        public void NotifyClusterConnectionLost() => _ = _lost.CancelAsync();

        public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
        {
            if (connectionRecovered)
            {
                events.OnConnectionRecovered();
            }
        }
    }
}
