using System.Net;
using System.Text.Json;

namespace Granary.Cli.Api;

/// <summary>Turns an error answer into the one line the CLI prints.</summary>
internal static class ProblemReader
{
    public static string Message(HttpStatusCode status, string? reasonPhrase, string body)
    {
        var problem = TryParse(body);
        var text = FirstNonBlank(problem?.Detail, problem?.Title)
            ?? $"the API answered {(int)status} {reasonPhrase ?? status.ToString()}{Snippet(body)}";
        return OneLine(text);
    }

    private static Problem? TryParse(string body)
    {
        if (!body.TrimStart().StartsWith('{'))
            return null;
        try
        {
            return JsonSerializer.Deserialize(body, CliJsonContext.Default.Problem);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FirstNonBlank(params string?[] values) =>
        values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static string Snippet(string body)
    {
        var text = OneLine(body);
        if (text.Length == 0)
            return "";
        return ": " + (text.Length > 200 ? text[..200] + "…" : text);
    }

    // The contract is one line on stderr, whatever the server put in its detail.
    public static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
