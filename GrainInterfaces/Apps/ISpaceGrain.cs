using System.Collections.Immutable;

namespace Granary.Apps;

/// <summary>A space: owns the app names within it (names are unique per space, not globally). Keyed by space name.</summary>
public interface ISpaceGrain : IGrainWithStringKey
{
    /// <summary>Creates an app with a new id. Throws <see cref="AppNameTakenException"/> if the name is in use here.</summary>
    Task<AppDetails> CreateApp(AppSpec spec);

    /// <summary>The id of the app with this name in this space, or null.</summary>
    Task<Guid?> FindApp(string name);

    /// <summary>Ids of every app in this space, ordered by name.</summary>
    Task<ImmutableArray<Guid>> ListApps();

    /// <summary>Moves a name from one app to another name; throws <see cref="AppNameTakenException"/> if taken.</summary>
    Task RenameApp(Guid appId, string oldName, string newName);

    /// <summary>Frees an app's name once it is deleted, remembering which app last had it.</summary>
    Task ReleaseApp(Guid appId, string name);

    /// <summary>The id of the most recently deleted app that had this name, or null.</summary>
    Task<Guid?> FindDeletedApp(string name);
}

[GenerateSerializer, Alias("granary.app-name-taken")]
public sealed class AppNameTakenException(string message) : Exception(message);
