using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Granary.Cli.Api;

internal sealed partial class GranaryApiClient
{
    public async Task<List<LogLine>> GetRecentLogsAsync(string appId, int recent, CancellationToken ct)
    {
        var lines = new List<LogLine>();
        using var response = await SendAsync(HttpMethod.Get, $"v1/apps/{appId}/logs?recent={recent}", null,
            HttpCompletionOption.ResponseHeadersRead, ct, DefaultTimeout);
        await foreach (var line in ReadNdjsonAsync(await response.Content.ReadAsStreamAsync(ct), ct))
            lines.Add(line);
        return lines;
    }

    /// <summary>
    /// Opens a following log stream. It returns once the server has answered, so a caller that opens
    /// it before starting a build sees every line of that build.
    /// </summary>
    public async Task<LogFollower> FollowLogsAsync(string appId, int recent, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Get, $"v1/apps/{appId}/logs?follow=true&recent={recent}", null,
            HttpCompletionOption.ResponseHeadersRead, ct, DefaultTimeout);
        return new LogFollower(response, await response.Content.ReadAsStreamAsync(ct));
    }

    /// <summary>Reads NDJSON log lines, skipping the server's <c>{}</c> keep-alives and lines it cannot read.</summary>
    public static async IAsyncEnumerable<LogLine> ReadNdjsonAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(ct) is { } text)
        {
            if (TryParseLogLine(text) is { } line)
                yield return line;
        }
    }

    public static LogLine? TryParseLogLine(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        try
        {
            var line = JsonSerializer.Deserialize(text, CliJsonContext.Default.LogLine);
            // A keep-alive `{}` deserializes to an all-default line: no source, no text.
            return line is null || (line.Source is null && line.Text is null) ? null : line;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>An open <c>logs?follow=true</c> answer.</summary>
internal sealed class LogFollower(HttpResponseMessage response, Stream body) : IDisposable
{
    public IAsyncEnumerable<LogLine> ReadAllAsync(CancellationToken ct) => GranaryApiClient.ReadNdjsonAsync(body, ct);

    public void Dispose()
    {
        body.Dispose();
        response.Dispose();
    }
}
