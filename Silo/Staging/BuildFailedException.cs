namespace Granary.Silo.Staging;

/// <summary>Ends a build for a reason the user caused or can fix; the stager turns it into the outcome's Error.</summary>
internal sealed class BuildFailedException(string message) : Exception(message);
