namespace Granary.Silo.Staging;

/// <summary>An archive that is unsafe, damaged or too large to unpack; the message names the entry at fault.</summary>
public sealed class ArchiveRejectedException(string message, bool tooLarge = false) : Exception(message)
{
    /// <summary>True when the archive broke a size or count limit rather than a safety rule.</summary>
    public bool TooLarge { get; } = tooLarge;
}
