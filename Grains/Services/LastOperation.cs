using System.Text.Json;

namespace Granary.Services;

/// <summary>What a last_operation answer means for the operation being polled; null: keep polling.</summary>
public static class LastOperation
{
    public static BrokerOperationResult? Interpret(OsbRequestKind kind, OsbReply reply)
    {
        // 410 ends a deprovision (gone = success); during a provision the spec calls it invalid: keep polling.
        if (reply.Status == 410)
            return kind == OsbRequestKind.Deprovision ? new BrokerOperationResult(BrokerOperationState.Succeeded, null) : null;
        if (reply.Status != 200 || OsbOutcomes.ParseObject(reply.Body) is not { } body
            || !body.TryGetProperty("state", out var stateElement) || stateElement.ValueKind != JsonValueKind.String)
            return null;
        var description = body.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        return stateElement.GetString() switch
        {
            "succeeded" => new BrokerOperationResult(BrokerOperationState.Succeeded, description),
            "failed" => new BrokerOperationResult(BrokerOperationState.Failed, description ?? "the broker reports the operation failed"),
            "in progress" => new BrokerOperationResult(BrokerOperationState.InProgress, description),
            _ => null,
        };
    }
}
