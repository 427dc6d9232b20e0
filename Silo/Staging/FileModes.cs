namespace Granary.Silo.Staging;

/// <summary>Unix permission calls, guarded because the analyzer cannot know Granary only runs on Linux.</summary>
internal static class FileModes
{
    public static void Set(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>Adds owner read, write and search permission, keeping the rest.</summary>
    public static void MakeOwnerWritable(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
