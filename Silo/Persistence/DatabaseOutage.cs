using System.Data.Common;

namespace Granary.Silo.Persistence;

/// <summary>Recognises a failure caused by the database being unreachable or failing, wherever it is wrapped.</summary>
public static class DatabaseOutage
{
    public const string Title = "Database unavailable";

    public const string Detail =
        "Granary's PostgreSQL database did not answer, so nothing was changed; running apps keep serving. " +
        "Try again in a moment, and if it persists check that the database server is running.";

    /// <summary>
    /// Lets a database failure in a grain reach a caller on another silo or a client as itself (message, SQLSTATE
    /// in its Data), so <see cref="Involves"/> still recognises it there and the API answers 503. Orleans serializes
    /// only System, Microsoft and Azure exceptions by default: a PostgresException failed the whole response with
    /// "Could not find a codec for type Npgsql.PostgresException" instead.
    /// </summary>
    public static void CrossSilos(Orleans.Serialization.ExceptionSerializationOptions options) =>
        options.SupportedNamespacePrefixes.Add("Npgsql");

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
