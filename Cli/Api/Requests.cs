using System.Text.Json.Serialization;

namespace Granary.Cli.Api;

/// <summary>Body of <c>POST /v1/apps</c>; null members are left to the server's defaults.</summary>
internal sealed record CreateAppRequest(
    string Name,
    int? Instances = null,
    int? MemoryMb = null,
    Dictionary<string, string>? Env = null,
    string? Command = null,
    string? State = null,
    string? Space = null,
    bool? NoRoute = null);

/// <summary>Body of <c>PATCH /v1/apps/{id}</c>; null members are not sent, so the server keeps them.</summary>
internal sealed record PatchAppRequest(
    string? Name = null,
    int? Instances = null,
    int? MemoryMb = null,
    Dictionary<string, string>? Env = null,
    string? Command = null,
    string? State = null,
    string? LoadBalancing = null,
    bool? StickySessions = null)
{
    // The API rejects members it does not know, so this must never reach the wire.
    [JsonIgnore]
    public bool IsEmpty => this == new PatchAppRequest();
}

internal sealed record StartBuildRequest(string PackageId);

/// <summary>Body of <c>POST /v1/apps/{id}/routes</c>.</summary>
internal sealed record MapRouteRequest(string Host);
