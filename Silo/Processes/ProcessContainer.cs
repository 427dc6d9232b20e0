namespace Granary.Silo.Processes;

/// <summary>
/// Where a contained command runs (a cgroup) and how it is launched there, prepared by the caller:
/// the wrapper writes its own pid to each of <see cref="JoinFiles"/> before anything of the app runs,
/// then execs <see cref="Launcher"/> with the command appended.
/// </summary>
/// <param name="TakeDown">Shell commands the watchdog runs when the silo dies: kill everything in the container.</param>
public sealed record ChildContainment(
    IReadOnlyList<string> JoinFiles,
    IReadOnlyList<string> Launcher,
    string TakeDown,
    IProcessContainer Container);

/// <summary>What stopping a contained command needs: its processes, and a way to kill them all.</summary>
public interface IProcessContainer
{
    /// <summary>Every process in the container now, wherever in the process tree or session it went.</summary>
    IReadOnlyList<int> Processes();

    /// <summary>Kills every process in the container and returns once it is empty (or gives up, bounded).</summary>
    Task KillAllAsync();
}
