namespace Granary;

/// <summary>Cluster-wide settings grains need. Bound from the "Granary" configuration section.</summary>
public sealed class GranaryGrainOptions
{
    /// <summary>Apps get APP.DOMAIN as their default route.</summary>
    public string Domain { get; set; } = "localhost";

    /// <summary>How long a build may take before the app gives up waiting for its stager.</summary>
    public TimeSpan StagingDeadline { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>How many events each app keeps.</summary>
    public int EventsKept { get; set; } = 500;
}
