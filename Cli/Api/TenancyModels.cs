namespace Granary.Cli.Api;

internal sealed record SpaceEntry(string Id, string Name, Guid OrgId, string Org);

internal sealed record OrgEntry(Guid Id, string Name, DateTimeOffset CreatedAt, string CreatedBy, List<SpaceEntry> Spaces);

internal sealed record MemberEntry(string Name, List<string> Roles);

internal sealed record DeletedEntry(List<string> Apps, List<string> Spaces);

internal sealed record NameRequest(string Name);

internal sealed record AuditEventEntry(DateTimeOffset Time, string Type, string Message, string Actor, string? Space, string? App);
