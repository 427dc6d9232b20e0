using Granary.Config;

namespace Granary.Edge.Sync;

/// <summary>
/// The cluster config (<c>granary config set</c>) as the edge's last configuration source, kept current by a
/// <see cref="ClusterConfigWatcher"/> on a small Orleans client of its own, so the route sync's connection handling
/// stays as it is. Options read through <c>IOptionsMonitor&lt;EdgeOptions&gt;</c> (the access log switch) follow it live.
/// </summary>
public static class EdgeClusterConfig
{
    public static void AddEdgeClusterConfig(this WebApplicationBuilder builder)
    {
        var source = new ClusterConfigurationSource();
        ((IConfigurationBuilder)builder.Configuration).Add(source);
        builder.Services.AddSingleton<ConfigClient>();
        builder.Services.AddHostedService(sp => new ClusterConfigWatcher(sp.GetRequiredService<ConfigClient>().ConnectAsync, source,
            sp.GetRequiredService<ILogger<ClusterConfigWatcher>>()));
    }

    /// <summary>One client host, started on first use and rebuilt after a failed start.</summary>
    private sealed class ConfigClient(IConfiguration configuration) : IAsyncDisposable
    {
        private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
        private IHost? _host;

        public async Task<IGrainFactory> ConnectAsync(CancellationToken cancellation)
        {
            if (_host is { } running)
                return running.Services.GetRequiredService<IClusterClient>();

            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Services.AddLogging();
            // The edge process owns signals and shutdown; this inner host must not react to SIGTERM itself.
            builder.Services.AddSingleton<IHostLifetime, NoSignals>();
            builder.UseOrleansClient(client => EdgeClustering.Configure(client, configuration));
            var host = builder.Build();
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                attempt.CancelAfter(ConnectTimeout);
                await host.StartAsync(attempt.Token);
            }
            catch
            {
                host.Dispose();
                throw;
            }
            _host = host;
            return host.Services.GetRequiredService<IClusterClient>();
        }

        private sealed class NoSignals : IHostLifetime
        {
            public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }

        public async ValueTask DisposeAsync()
        {
            if (_host is { } host)
            {
                await host.StopAsync(CancellationToken.None);
                host.Dispose();
            }
        }
    }
}
