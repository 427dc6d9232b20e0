namespace Granary.Instances;

/// <summary>The actual state of one instance, as its node reports it.</summary>
public enum InstanceState
{
    Starting = 1,
    Running = 2,
    Stopping = 3,
    Stopped = 4,
    Crashed = 5,
}
