using Granary.Staging;

namespace Granary.Staging;

/// <summary>
/// Builds a package into a droplet on this machine (implemented in the Silo: files and processes).
/// Streams its output to the app's log with source "STG".
/// </summary>
public interface IStagingRuntime
{
    /// <summary>
    /// Stages the job. A user error (nothing detected, a failing build) is an outcome with Error set,
    /// never an exception; exceptions mean the platform itself failed.
    /// </summary>
    Task<StagingOutcome> StageAsync(StagingJob job, CancellationToken cancellationToken);
}
