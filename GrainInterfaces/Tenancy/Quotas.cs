namespace Granary.Tenancy;

/// <summary>A named set of limits (Cloud Foundry's org and space quotas; null = unlimited).</summary>
[GenerateSerializer, Immutable, Alias("granary.quota-plan")]
public sealed record QuotaPlan(
    [property: Id(0)] string Name,
    [property: Id(1)] int? MemoryMb = null,
    [property: Id(2)] int? Instances = null,
    [property: Id(3)] int? Apps = null,
    [property: Id(4)] int? Routes = null,
    [property: Id(5)] int? Services = null,
    [property: Id(6)] int? InstanceMemoryMb = null);

/// <summary>What one app takes from its space's and org's quotas: a stopped app holds no memory or instances.</summary>
[GenerateSerializer, Immutable, Alias("granary.footprint")]
public sealed record Footprint(
    [property: Id(0)] int Instances,
    [property: Id(1)] int MemoryMb,
    [property: Id(2)] int Routes,
    [property: Id(3)] int InstanceMemoryMb);

/// <summary>What a space or org uses now.</summary>
[GenerateSerializer, Immutable, Alias("granary.quota-usage")]
public sealed record QuotaUsage(
    [property: Id(0)] int Apps,
    [property: Id(1)] int Instances,
    [property: Id(2)] int MemoryMb,
    [property: Id(3)] int Routes)
{
    public static QuotaUsage Zero { get; } = new(0, 0, 0, 0);

    public QuotaUsage Add(Footprint f) => new(Apps + 1, Instances + f.Instances, MemoryMb + f.MemoryMb, Routes + f.Routes);
}

/// <summary>A change would pass a quota; the message names the limit and what is in use.</summary>
[GenerateSerializer, Alias("granary.quota-exceeded")]
public sealed class QuotaExceededException(string message) : Exception(message);
