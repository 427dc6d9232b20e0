using System.Collections.Concurrent;
using Granary.Cluster;
using Granary.Instances;
using Granary.Logs;
using Granary.Nodes;
using Granary.Silo.Processes;
using Granary.Silo.Staging;
using Granary.Telemetry;
using Microsoft.Extensions.Options;

namespace Granary.Silo.Dea;

/// <summary>
/// Runs instances as real processes on this machine: a directory each with the droplet unpacked, a
/// free port, the platform's environment, output into the app's log, RUNNING only once healthy.
/// </summary>
public sealed partial class ProcessInstanceRuntime(
    IOptions<DeaOptions> options,
    IDropletStore droplets,
    IInstanceReportSink reports,
    Granary.Silo.Hosting.NodeSettings node,
    ILogEmitter logs,
    HealthProbe health,
    FreePorts ports,
    Isolation.InstanceIsolation isolation,
    TimeProvider time,
    ILogger<ProcessInstanceRuntime> logger) : IInstanceRuntime
{
    private readonly ConcurrentDictionary<Guid, InstanceRun> _runs = new();
    private readonly int _totalMemoryMb = options.Value.MemoryMb > 0
        ? options.Value.MemoryMb
        : (int)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * 3 / 4 / (1024 * 1024));

    private volatile bool _draining;

    public int TotalMemoryMb => _totalMemoryMb;

    public bool IsDraining => _draining;

    public void BeginDrain() => _draining = true;

    public IReadOnlyCollection<InstanceSpec> Instances => _runs.Values.Select(r => r.Spec).ToList();

    public IReadOnlyCollection<Granary.Health.HeartbeatInstance> Describe() =>
        _runs.Values.Select(r => (r.Spec, r.State))
            .Select(x => new Granary.Health.HeartbeatInstance(x.Spec.InstanceId, x.Spec.AppId, x.Spec.Index, x.State.State, x.State.Since))
            .ToList();

    public Task StartAsync(InstanceSpec spec)
    {
        if (_draining)
        {
            throw new NodeUnavailableException("this node is shutting down and takes no new instances");
        }

        if (isolation.Refusal is { } refusal)
        {
            throw new NodeUnavailableException($"node {node.NodeId} runs no instances: {refusal}");
        }

        var run = new InstanceRun(spec, Path.Combine(options.Value.InstancesDirectory, spec.InstanceId.ToString("N")), time.GetUtcNow());
        if (_runs.TryAdd(spec.InstanceId, run))
        {
            run.Completion = Task.Run(() => RunAsync(run));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(Guid instanceId, string reason)
    {
        if (_runs.TryGetValue(instanceId, out var run) && run.TryRequestStop())
        {
            run.Stopping = Task.Run(() => StopRunAsync(run, reason));
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops every instance and waits for them: the node is shutting down.</summary>
    public async Task StopAllAsync()
    {
        BeginDrain();
        var runs = _runs.Values.ToList();
        foreach (var run in runs)
        {
            await StopAsync(run.Spec.InstanceId, "the node is shutting down");
        }

        await Task.WhenAll(runs.Select(r => r.Stopping ?? Task.CompletedTask));
        isolation.RemoveParent();
    }

    private async Task RunAsync(InstanceRun run)
    {
        var spec = run.Spec;
        var source = $"DEA/{spec.Index}";
        try
        {
            Directory.CreateDirectory(run.AppDirectory);
            Directory.CreateDirectory(run.TmpDirectory);
            var archive = await droplets.GetLocalPathAsync(spec.DropletHash, run.Cancel.Token);
            await DropletArchive.ExtractAsync(archive, run.AppDirectory, run.Cancel.Token);

            var port = ports.Take();
            var started = time.GetTimestamp(); // the start's cost includes the isolation's
            var sandbox = run.Sandbox = isolation.Level.IsIsolated
                ? isolation.Prepare(spec.InstanceId, spec.AppName, spec.Index, spec.MemoryMb, run.Directory, run.AppDirectory, run.TmpDirectory)
                : null;
            var env = InstanceEnvironment.Build(spec, port, sandbox?.AppDirectory ?? run.AppDirectory, sandbox?.TmpDirectory ?? run.TmpDirectory,
                options.Value.AdvertiseHost, sandbox?.Path ?? Environment.GetEnvironmentVariable("PATH"), time.GetUtcNow());
            logs.Emit(spec.AppId, source, LogStream.Out, $"Starting instance {spec.Index} on port {port}: {spec.StartCommand}");
            var child = ChildProcess.Start(new ChildProcessStart(spec.StartCommand, run.AppDirectory, env, sandbox?.Containment),
                (stream, text) =>
                {
                    run.Remember(text);
                    logs.Emit(spec.AppId, $"APP/{spec.Index}", stream, text);
                });
            new ProcessMarker(spec.InstanceId, spec.AppId, child.Pid, child.StartTicks).Write(run.Directory);
            GranaryTelemetry.InstancesStarted.Add(1);
            if (!run.TryAttach(child))
            {
                return; // stopped while starting: StopRunAsync takes it from here
            }

            var verdict = await health.WaitAsync(spec.HealthCheck, port, child.Exited, run.Cancel.Token);
            if (verdict.Healthy)
            {
                GranaryTelemetry.InstanceStartDuration.Record(time.GetElapsedTime(started).TotalSeconds);
                logs.Emit(spec.AppId, source, LogStream.Out, $"Instance {spec.Index} is healthy and RUNNING");
                run.MoveTo(InstanceState.Running, time.GetUtcNow());
                await reports.ReportAsync(new InstanceReport(spec.InstanceId, InstanceState.Running, options.Value.AdvertiseHost, port, null, null));
                var code = await child.Exited;
                verdict = new HealthVerdict(false, code, $"the process exited with code {code}");
            }

            if (run.StopRequested)
            {
                return;
            }

            await child.StopAsync(TimeSpan.FromSeconds(1)); // anything it left behind in its group
            await CrashAsync(run, verdict.ExitCode, OutOfMemory(run) ?? verdict.Problem!);
        }
        catch (OperationCanceledException) when (run.StopRequested)
        {
        }
        catch (Exception e)
        {
            LogStartFailed(e, spec.InstanceId, spec.AppName);
            await CrashAsync(run, null, $"the node could not start it: {e.Message}");
        }
    }

    private async Task CrashAsync(InstanceRun run, int? exitCode, string problem)
    {
        var spec = run.Spec;
        GranaryTelemetry.InstancesCrashed.Add(1);
        logs.Emit(spec.AppId, $"DEA/{spec.Index}", LogStream.Err, $"Instance {spec.Index} crashed: {problem}");
        LogCrashed(spec.InstanceId, spec.AppName, spec.Index, exitCode, problem);
        run.Child?.Dispose();
        await RemoveAsync(run);
        await TryReportAsync(new InstanceReport(spec.InstanceId, InstanceState.Crashed, null, null, exitCode, problem));
        await PublishExitAsync(run, crashed: true, exitCode, problem);
    }

    /// <summary>Publishes the exit on <c>instance.exited</c>; a lost message is healed by the next heartbeat.</summary>
    private async Task PublishExitAsync(InstanceRun run, bool crashed, int? exitCode, string reason)
    {
        var spec = run.Spec;
        try
        {
            await reports.ExitedAsync(new Granary.Health.InstanceExit(spec.InstanceId, spec.AppId, spec.Index, node.NodeId, crashed,
                exitCode, reason, run.StartedAt, time.GetUtcNow(), run.LastLines));
        }
        catch (Exception e)
        {
            LogReportFailed(spec.InstanceId, crashed ? InstanceState.Crashed : InstanceState.Stopped, e.Message);
        }
    }

    private async Task StopRunAsync(InstanceRun run, string reason)
    {
        var spec = run.Spec;
        await TryReportAsync(new InstanceReport(spec.InstanceId, InstanceState.Stopping, null, null, null, reason));
        if (run.HasRun && options.Value.UnrouteDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.Value.UnrouteDelay, time);
        }

        await run.Cancel.CancelAsync();
        int? exitCode = null;
        if (run.Child is { } child)
        {
            exitCode = await child.StopAsync(options.Value.StopGrace);
        }

        await run.Completion;
        if (exitCode is null && run.Child is { } late)
        {
            // The process started while this stop was on its way: it is stopped here, not by the run loop.
            exitCode = await late.StopAsync(options.Value.StopGrace);
        }

        run.Child?.Dispose();
        logs.Emit(spec.AppId, $"DEA/{spec.Index}", LogStream.Out, $"Instance {spec.Index} stopped: {reason}");
        await RemoveAsync(run);
        await TryReportAsync(new InstanceReport(spec.InstanceId, InstanceState.Stopped, null, null, exitCode, reason));
        await PublishExitAsync(run, crashed: false, exitCode, reason);
    }

    private async Task TryReportAsync(InstanceReport report)
    {
        try
        {
            await reports.ReportAsync(report);
        }
        catch (Exception e)
        {
            // The controller may be gone (node shutting down, silo failure): the next start reconciles.
            LogReportFailed(report.InstanceId, report.State, e.Message);
        }
    }
}
