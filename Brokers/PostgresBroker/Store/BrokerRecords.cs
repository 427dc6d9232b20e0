namespace Granary.Brokers.Postgres.Store;

/// <summary>Where an instance is in its life; stored as the lower-case name.</summary>
public enum InstanceState
{
    Provisioning = 0,
    Ready = 1,
    Failed = 2,
    Deprovisioning = 3,
}

/// <summary>What an operation does; stored as the lower-case name.</summary>
public enum OperationKind
{
    Provision = 0,
    Deprovision = 1,
}

/// <summary>The spec's three last_operation states, with their wire text.</summary>
public enum OperationState
{
    InProgress = 0,
    Succeeded = 1,
    Failed = 2,
}

public sealed record InstanceRecord(
    string InstanceId, string ServiceId, string PlanId, string DatabaseName, string OwnerRole, InstanceState State, string OperationId);

/// <summary>A binding's login. The password is kept so an identical re-bind can answer 200 with the same credentials.</summary>
public sealed record BindingRecord(string InstanceId, string BindingId, string ServiceId, string PlanId, string? AppGuid, string RoleName, string Password, bool Ready);

public sealed record OperationRecord(string OperationId, string InstanceId, OperationKind Kind, OperationState State, string? Description);

public static class StateText
{
    public static string Wire(OperationState state) => state switch
    {
        OperationState.InProgress => "in progress",
        OperationState.Succeeded => "succeeded",
        _ => "failed",
    };

    public static string Db<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    public static T Parse<T>(string text) where T : struct, Enum => Enum.Parse<T>(text, ignoreCase: true);
}
