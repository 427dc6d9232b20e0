namespace Granary.Apps;

/// <summary>The app does not exist (never created, or deleted).</summary>
[GenerateSerializer, Alias("granary.app-not-found")]
public sealed class AppNotFoundException(string message) : Exception(message);

/// <summary>The requested change breaks a rule of app specs; the message says which.</summary>
[GenerateSerializer, Alias("granary.invalid-app")]
public sealed class InvalidAppException(string message) : Exception(message);

/// <summary>A build is already running for the app.</summary>
[GenerateSerializer, Alias("granary.build-in-progress")]
public sealed class BuildInProgressException(string message) : Exception(message);
