using System.Data;
using System.Security.Cryptography;
using Granary.Silo.Staging;
using Npgsql;

namespace Granary.Silo.Persistence;

/// <summary>
/// Droplets and packages in PostgreSQL (deploy/sql/0004): 1 MiB chunks, written in one transaction with the
/// blob row last, read one chunk at a time. Neither side holds a whole droplet in memory, and a reader checks
/// every byte against the SHA-256 the blob is named by.
/// </summary>
public sealed partial class PostgresBlobStore(DatabaseSettings database, ILogger<PostgresBlobStore> logger) : ISharedBlobStore, IAsyncDisposable
{
    public const int ChunkBytes = 1024 * 1024;

    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(database.ConnectionString);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public async Task PutAsync(BlobKind kind, string hash, string path, string? extension, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Two nodes storing the same content take turns; the second finds it stored and stops.
        await using (var lockBlob = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", connection, transaction))
        {
            lockBlob.Parameters.AddWithValue("key", $"{Name(kind)}/{hash}");
            await lockBlob.ExecuteNonQueryAsync(ct);
        }
        if (await FindAsync(connection, transaction, kind, hash, ct) is not null)
            return;

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        var buffer = new byte[ChunkBytes];
        long size = 0;
        var chunks = 0;
        int filled;
        while ((filled = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct)) > 0)
        {
            sha.AppendData(buffer, 0, filled);
            await using var insert = new NpgsqlCommand(
                "INSERT INTO granary_blob_chunks (kind, sha256, chunk_index, data) VALUES (@kind, @sha, @index, @data)", connection, transaction);
            insert.Parameters.AddWithValue("kind", Name(kind));
            insert.Parameters.AddWithValue("sha", hash);
            insert.Parameters.AddWithValue("index", chunks);
            insert.Parameters.AddWithValue("data", new ReadOnlyMemory<byte>(buffer, 0, filled));
            await insert.ExecuteNonQueryAsync(ct);
            size += filled;
            chunks++;
        }

        var actual = Convert.ToHexStringLower(sha.GetHashAndReset());
        if (actual != hash)
            throw new InvalidDataException($"{path} hashes to {actual}, not {hash}: it changed while being stored");

        await using (var header = new NpgsqlCommand(
            "INSERT INTO granary_blobs (kind, sha256, size_bytes, chunk_count, extension) VALUES (@kind, @sha, @size, @chunks, @extension)",
            connection, transaction))
        {
            header.Parameters.AddWithValue("kind", Name(kind));
            header.Parameters.AddWithValue("sha", hash);
            header.Parameters.AddWithValue("size", size);
            header.Parameters.AddWithValue("chunks", chunks);
            header.Parameters.AddWithValue("extension", (object?)extension ?? DBNull.Value);
            await header.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        LogStored(Name(kind), hash, size, chunks);
    }

    public async Task<SharedBlob?> FindAsync(BlobKind kind, string hash, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await FindAsync(connection, null, kind, hash, ct) is { } row ? new SharedBlob(row.Size, row.Extension) : null;
    }

    public async Task<bool> TryFetchAsync(BlobKind kind, string hash, string targetPath, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // Repeatable read: the header and the chunks come from one snapshot.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        if (await FindAsync(connection, transaction, kind, hash, ct) is not { } header)
            return false;

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        var chunks = 0;
        try
        {
            await using (var target = new FileStream(targetPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true))
            await using (var select = new NpgsqlCommand(
                "SELECT chunk_index, data FROM granary_blob_chunks WHERE kind = @kind AND sha256 = @sha ORDER BY chunk_index", connection, transaction))
            {
                select.Parameters.AddWithValue("kind", Name(kind));
                select.Parameters.AddWithValue("sha", hash);
                await using var reader = await select.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
                var buffer = new byte[81920];
                while (await reader.ReadAsync(ct))
                {
                    if (reader.GetInt32(0) != chunks)
                        break; // a gap: the size/count check below reports it
                    await using var data = reader.GetStream(1);
                    int read;
                    while ((read = await data.ReadAsync(buffer, ct)) > 0)
                    {
                        sha.AppendData(buffer, 0, read);
                        await target.WriteAsync(buffer.AsMemory(0, read), ct);
                        size += read;
                    }
                    chunks++;
                }
            }

            var actual = Convert.ToHexStringLower(sha.GetHashAndReset());
            if (actual != hash || size != header.Size || chunks != header.Chunks)
            {
                LogCorrupt(Name(kind), hash, actual, size, header.Size);
                throw new InvalidDataException(
                    $"the stored {Name(kind)} {hash} is damaged (its {size} bytes in {chunks} chunks hash to {actual}; expected {header.Size} bytes); " +
                    "it was not used: restage the app to store a good copy");
            }
            return true;
        }
        catch
        {
            File.Delete(targetPath);
            throw;
        }
    }

    private static async Task<(long Size, int Chunks, string? Extension)?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, BlobKind kind, string hash, CancellationToken ct)
    {
        await using var select = new NpgsqlCommand(
            "SELECT size_bytes, chunk_count, extension FROM granary_blobs WHERE kind = @kind AND sha256 = @sha", connection, transaction);
        select.Parameters.AddWithValue("kind", Name(kind));
        select.Parameters.AddWithValue("sha", hash);
        await using var reader = await select.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        return (reader.GetInt64(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    private static string Name(BlobKind kind) => kind switch
    {
        BlobKind.Droplet => "droplet",
        BlobKind.Package => "package",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored {Kind} {Hash} in PostgreSQL: {SizeBytes} bytes in {Chunks} chunks")]
    private partial void LogStored(string kind, string hash, long sizeBytes, int chunks);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stored {Kind} {Hash} is damaged: {ActualBytes} bytes hash to {Actual}, expected {ExpectedBytes} bytes")]
    private partial void LogCorrupt(string kind, string hash, string actual, long actualBytes, long expectedBytes);
}
