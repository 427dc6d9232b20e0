namespace Granary.Staging;

/// <summary>Runs staging on a silo with the stager role. Returns at once; the outcome goes to the app grain.</summary>
public interface IStagerGrain : IGrainWithIntegerKey
{
    /// <summary>Starts the job in the background and reports to <c>IAppGrain.OnStagingCompleted</c>.</summary>
    Task Enqueue(StagingJob job);
}
