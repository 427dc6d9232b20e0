namespace Granary.Silo.Staging;

internal static class WorkFolder
{
    /// <summary>
    /// Removes a folder tree, first giving the owner write access to every folder: builds (Go's module cache,
    /// some npm packages) leave read-only folders that a plain recursive delete cannot empty.
    /// Returns false if something is left behind.
    /// </summary>
    public static bool DeleteQuietly(string path)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                MakeWritable(path);
            }
        }

        return !Directory.Exists(path);
    }

    private static void MakeWritable(string path)
    {
        try
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.ReparsePoint };
            FileModes.MakeOwnerWritable(path);
            foreach (var folder in Directory.EnumerateDirectories(path, "*", options))
            {
                FileModes.MakeOwnerWritable(folder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the second delete attempt reports what is still there.
        }
    }
}
