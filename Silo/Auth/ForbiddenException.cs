namespace Granary.Silo.Auth;

/// <summary>The caller may see the object but not do this to it; the message names the role that may.</summary>
public sealed class ForbiddenException(string message) : Exception(message);
