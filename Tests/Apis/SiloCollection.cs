using Granary.Tests.Infrastructure;

namespace Granary.Tests.Apis;

/// <summary>One in-process node shared by the API tests; each test makes its own apps with unique names.</summary>
[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFactory>
{
    public const string Name = "silo";

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
