using System.Runtime.InteropServices;

namespace Granary.Silo.Dea.Isolation;

/// <summary>Gives an instance's uid its own files: .NET has no chown, so libc's lchown (never following a link).</summary>
internal static partial class FileOwnership
{
    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LChown(string path, uint owner, uint group);

    /// <summary>Chowns the directory and everything below it; symlinks themselves, never what they point at.</summary>
    public static void ChownTree(string directory, int uid, int gid)
    {
        Chown(directory, uid, gid);
        var pending = new Stack<string>([directory]);
        while (pending.TryPop(out var current))
        {
            foreach (var entry in new DirectoryInfo(current).EnumerateFileSystemInfos())
            {
                Chown(entry.FullName, uid, gid);
                if (entry is DirectoryInfo && entry.LinkTarget is null)
                {
                    pending.Push(entry.FullName);
                }
            }
        }
    }

    public static void Chown(string path, int uid, int gid)
    {
        if (LChown(path, (uint)uid, (uint)gid) != 0)
        {
            throw new IOException($"chown {uid}:{gid} {path} failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }
}
