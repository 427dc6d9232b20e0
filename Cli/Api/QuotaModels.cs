namespace Granary.Cli.Api;

internal sealed record QuotaEntry(string Name, int? MemoryMb, int? Instances, int? Apps, int? Routes, int? Services, int? InstanceMemoryMb);

internal sealed record QuotaUsageEntry(int Apps, int Instances, int MemoryMb, int Routes);

internal sealed record OrgUsageEntry(string Org, QuotaUsageEntry Usage, QuotaEntry? Quota);

internal sealed record AssignQuotaRequest(string? Quota);
