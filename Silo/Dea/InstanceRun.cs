using Granary.Nodes;
using Granary.Silo.Processes;

namespace Granary.Silo.Dea;

/// <summary>One instance on this node, from the start request until its directory is removed.</summary>
internal sealed class InstanceRun(InstanceSpec spec, string directory)
{
    private readonly Lock _lock = new();
    private ChildProcess? _child;

    public InstanceSpec Spec => spec;
    public string Directory => directory;
    public string AppDirectory => Path.Combine(directory, "app");
    public string TmpDirectory => Path.Combine(directory, "tmp");
    public CancellationTokenSource Cancel { get; } = new();

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
            return true;
        }
    }
}
