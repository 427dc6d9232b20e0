namespace Granary.Cli.Micro;

internal static class LogTail
{
    /// <summary>The last <paramref name="count"/> lines of a file, or none if it cannot be read.</summary>
    public static IReadOnlyList<string> Read(string file, int count)
    {
        try
        {
            var queue = new Queue<string>(count + 1);
            foreach (var line in File.ReadLines(file))
            {
                queue.Enqueue(line);
                if (queue.Count > count)
                    queue.Dequeue();
            }
            return queue.ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
