using System.Collections.Concurrent;
using Granary.Brokers.Postgres.Hosting;
using Granary.Brokers.Postgres.Store;
using Microsoft.Extensions.Options;

namespace Granary.Brokers.Postgres.Provisioning;

/// <summary>
/// Runs asynchronous operations in the background and, at start, resumes those an earlier run left
/// in progress (every step is idempotent, so running one again is safe).
/// </summary>
public sealed class OperationRunner(OperationWorker worker, BrokerStore store, IOptions<BrokerOptions> options, ILogger<OperationRunner> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, Task> _running = new();
    private CancellationToken _stopping = CancellationToken.None;

    public void Enqueue(string instanceId, string operationId) =>
        _running.GetOrAdd(operationId, _ => Task.Run(() => RunAsync(instanceId, operationId)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var unfinished = await store.UnfinishedOperationsAsync(stoppingToken);
        if (unfinished.Count > 0)
            logger.Resuming(unfinished.Count);
        foreach (var operation in unfinished)
            Enqueue(operation.InstanceId, operation.OperationId);
        try { await Task.Delay(Timeout.Infinite, stoppingToken); }
        catch (OperationCanceledException) { }
        await Task.WhenAll(_running.Values);
    }

    private async Task RunAsync(string instanceId, string operationId)
    {
        try
        {
            if (options.Value.AsyncStartDelay > TimeSpan.Zero)
                await Task.Delay(options.Value.AsyncStartDelay, _stopping);
            await worker.RunAsync(instanceId, operationId, _stopping);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the operation stays in progress and the next start resumes it.
        }
        finally
        {
            _running.TryRemove(operationId, out _);
        }
    }
}
