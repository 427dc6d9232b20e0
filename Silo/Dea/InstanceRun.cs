using Granary.Instances;
using Granary.Nodes;
using Granary.Silo.Processes;

namespace Granary.Silo.Dea;

/// <summary>One instance on this node, from the start request until its directory is removed.</summary>
internal sealed class InstanceRun(InstanceSpec spec, string directory, DateTimeOffset createdAt)
{
    private const int LinesKept = 20;
    private readonly Lock _lock = new();
    private readonly Queue<string> _lastLines = new();
    private ChildProcess? _child;
    private (InstanceState State, DateTimeOffset Since) _state = (InstanceState.Starting, createdAt);

    /// <summary>What the heartbeat says of this instance.</summary>
    public (InstanceState State, DateTimeOffset Since) State
    {
        get { lock (_lock) return _state; }
    }

    /// <summary>When the process last became RUNNING (or was created, if it never did).</summary>
    public DateTimeOffset StartedAt { get; private set; } = createdAt;

    /// <summary>True once the instance passed its health check: it may have been routed to.</summary>
    public bool HasRun { get; private set; }

    public void MoveTo(InstanceState state, DateTimeOffset at)
    {
        lock (_lock)
        {
            _state = (state, at);
            if (state == InstanceState.Running)
            {
                StartedAt = at;
                HasRun = true;
            }
        }
    }

    /// <summary>Keeps the last lines the app printed, for the crash record.</summary>
    public void Remember(string line)
    {
        lock (_lock)
        {
            _lastLines.Enqueue(line.Length > 500 ? line[..500] : line);
            if (_lastLines.Count > LinesKept)
            {
                _lastLines.Dequeue();
            }
        }
    }

    public System.Collections.Immutable.ImmutableArray<string> LastLines
    {
        get { lock (_lock) return [.. _lastLines]; }
    }

    public InstanceSpec Spec => spec;
    public string Directory => directory;
    public string AppDirectory => Path.Combine(directory, "app");
    public string TmpDirectory => Path.Combine(directory, "tmp");
    public CancellationTokenSource Cancel { get; } = new();

    /// <summary>The instance's uid, cgroup and sandbox; null on a node that runs instances unisolated.</summary>
    public Isolation.Sandbox? Sandbox { get; set; }

    /// <summary>Set once the platform asked it to stop: its exit is then a stop, not a crash.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>Completes when the run loop has finished (process gone or never started).</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>Completes when a requested stop has finished and been reported.</summary>
    public Task? Stopping { get; set; }

    public ChildProcess? Child
    {
        get { lock (_lock) return _child; }
    }

    /// <summary>Records the started process; false if a stop arrived first (the caller must stop it).</summary>
    public bool TryAttach(ChildProcess child)
    {
        lock (_lock)
        {
            _child = child;
            return !StopRequested;
        }
    }

    /// <summary>Marks the run as stopping; false if it already was.</summary>
    public bool TryRequestStop()
    {
        lock (_lock)
        {
            if (StopRequested)
            {
                return false;
            }

            StopRequested = true;
            _state = (InstanceState.Stopping, _state.Since);
            return true;
        }
    }
}
