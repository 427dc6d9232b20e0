namespace Granary.Staging;

/// <summary>A staged, content-addressed droplet: the archive's SHA-256 and how to start it.</summary>
[GenerateSerializer, Immutable, Alias("granary.droplet-ref")]
public sealed record DropletRef(
    [property: Id(0)] string Hash,
    [property: Id(1)] string Framework,
    [property: Id(2)] string StartCommand,
    [property: Id(3)] long SizeBytes,
    [property: Id(4)] DateTimeOffset StagedAt);

/// <summary>One staging run: build <see cref="PackageId"/> for an app into a droplet.</summary>
[GenerateSerializer, Immutable, Alias("granary.staging-job")]
public sealed record StagingJob(
    [property: Id(0)] Guid AppId,
    [property: Id(1)] string AppName,
    [property: Id(2)] string BuildId,
    [property: Id(3)] string PackageId,
    [property: Id(4)] string? Command);

[GenerateSerializer, Immutable, Alias("granary.staging-outcome")]
public sealed record StagingOutcome(
    [property: Id(0)] string BuildId,
    [property: Id(1)] DropletRef? Droplet,
    [property: Id(2)] string? Error)
{
    public bool Succeeded => Droplet is not null;
}
