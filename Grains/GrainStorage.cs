namespace Granary;

/// <summary>The grain storage Granary's durable grains use.</summary>
public static class GrainStorage
{
    public const string Name = "granary";
}
