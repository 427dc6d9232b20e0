namespace Granary.Silo.Persistence;

/// <summary>
/// A grain changes its state in memory, then saves it. When the save fails because the database is down, the
/// caller is told the change failed (503), so the change must not live on in memory either, to be served by
/// reads or saved later by some other write. Dropping the activation makes its next call start again from the
/// last state that was saved.
/// </summary>
public sealed partial class DeactivateOnStorageFailure(ILogger<DeactivateOnStorageFailure> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (DatabaseOutage.Involves(e))
        {
            LogDeactivating(context.TargetId.ToString(), context.InterfaceMethod?.Name ?? "?");
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "the database failed during a call"));
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database failure in {Grain}.{Method}: deactivating it so unsaved changes are dropped")]
    private partial void LogDeactivating(string grain, string method);
}
