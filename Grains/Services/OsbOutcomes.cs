using System.Text.Json;

namespace Granary.Services;

public enum OsbRequestKind { Provision = 0, Deprovision = 1, Bind = 2, Unbind = 3 }

public enum OsbVerdict
{
    /// <summary>200/201: done.</summary>
    Done = 0,
    /// <summary>202: the broker works on; poll last_operation.</summary>
    Accepted = 1,
    /// <summary>410 on a delete: already gone, which counts as success.</summary>
    Gone = 2,
    /// <summary>A 4xx: the broker refused and changed nothing.</summary>
    Rejected = 3,
    /// <summary>5xx, timeouts, malformed answers: it may or may not have done it.</summary>
    Failed = 4,
}

/// <summary>A broker's answer to one request: the status, or null when none came (timeout, connection lost).</summary>
public sealed record OsbReply(int? Status, string Body)
{
    public static OsbReply NoAnswer(string why) => new(null, why);
}

public sealed record OsbOutcome(OsbVerdict Verdict, bool MitigateOrphan, string Description, JsonElement Body)
{
    public bool Succeeded => Verdict is OsbVerdict.Done or OsbVerdict.Gone or OsbVerdict.Accepted;
}

/// <summary>
/// The spec's "Orphan Mitigation" table as a pure function: what an answer means, and whether the platform
/// must send a delete for something it cannot be sure the broker did not create.
/// </summary>
public static class OsbOutcomes
{
    public static OsbOutcome Classify(OsbRequestKind kind, OsbReply reply)
    {
        var creates = kind is OsbRequestKind.Provision or OsbRequestKind.Bind;
        var deletes = !creates;
        if (reply.Status is not { } status)
            // Only a create that timed out may have left something behind (the table's "Timeout" rows).
            return new(OsbVerdict.Failed, creates, $"the broker did not answer: {reply.Body}", default);
        var body = ParseObject(reply.Body);
        var description = Describe(status, body);
        return status switch
        {
            200 when body is null => new(OsbVerdict.Failed, false, $"the broker answered 200 with a body that is not a JSON object", default),
            200 => new(OsbVerdict.Done, false, description, body.Value),
            201 when creates && (body is null || kind == OsbRequestKind.Bind && !HasObjectOrNothing(body.Value, "credentials")) =>
                new(OsbVerdict.Failed, true, "the broker answered 201 with a malformed body", default),
            201 when creates => new(OsbVerdict.Done, false, description, body!.Value),
            202 when kind is OsbRequestKind.Provision or OsbRequestKind.Deprovision => new(OsbVerdict.Accepted, false, description, body ?? default),
            // Granary never sends accepts_incomplete on bindings, so a 202 there is outside the contract.
            202 => new(OsbVerdict.Failed, creates, "the broker answered 202 to a binding request Granary asked to be synchronous", default),
            410 when deletes => new(OsbVerdict.Gone, false, description, default),
            408 => new(OsbVerdict.Failed, false, $"the broker timed out reading the request (408): {description}", default),
            >= 200 and < 300 => new(OsbVerdict.Failed, creates, $"the broker answered {status}, which the spec does not allow here", default),
            >= 400 and < 500 => new(OsbVerdict.Rejected, false, description, body ?? default),
            // A failed delete is not an orphan: the platform still knows the resource, and the user retries.
            _ => new(OsbVerdict.Failed, creates, description, body ?? default),
        };
    }

    /// <summary>The broker's error and description, or its status when it sent neither.</summary>
    public static string Describe(int status, JsonElement? body)
    {
        string? Text(string name) => body is { } b && b.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var error = Text("error");
        var description = Text("description");
        return (error, description) switch
        {
            (null, null) => $"HTTP {status}",
            (null, { } d) => d,
            ({ } e, null) => $"{e} (HTTP {status})",
            ({ } e, { } d) => $"{e}: {d}",
        };
    }

    public static JsonElement? ParseObject(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool HasObjectOrNothing(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var value) || value.ValueKind is JsonValueKind.Object or JsonValueKind.Null;
}
