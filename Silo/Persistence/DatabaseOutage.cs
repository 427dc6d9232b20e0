using System.Data.Common;

namespace Granary.Silo.Persistence;

/// <summary>Recognises a failure caused by the database being unreachable or failing, wherever it is wrapped.</summary>
public static class DatabaseOutage
{
    public const string Title = "Database unavailable";

    public const string Detail =
        "Granary's PostgreSQL database did not answer, so nothing was changed; running apps keep serving. " +
        "Try again in a moment, and if it persists check that the database server is running.";

    public static bool Involves(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException)
                return true;
            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(Involves))
                return true;
        }
        return false;
    }
}
