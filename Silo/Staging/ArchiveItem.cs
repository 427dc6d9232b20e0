namespace Granary.Silo.Staging;

internal enum ArchiveItemKind
{
    File = 1,
    Directory = 2,
    SymbolicLink = 3,
    HardLink = 4,
    /// <summary>Devices, fifos and anything else a plain app folder never needs.</summary>
    Unsupported = 5,
}

/// <summary>One entry of a zip or tar, as the format readers hand it over: the name is still raw and untrusted.</summary>
internal sealed record ArchiveItem(string Name, ArchiveItemKind Kind, UnixFileMode Mode, string? LinkTarget = null, string? Description = null)
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// 0755 for anything executable, 0644 otherwise: keeps the exec bit scripts need while dropping setuid,
    /// sticky and odd bits such as files the owner cannot read.
    /// </summary>
    public UnixFileMode ExtractedMode => (Mode & AnyExecute) != 0 || Kind == ArchiveItemKind.Directory
        ? (UnixFileMode)0b111_101_101
        : (UnixFileMode)0b110_100_100;
}
