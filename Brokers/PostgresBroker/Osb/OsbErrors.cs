namespace Granary.Brokers.Postgres.Osb;

/// <summary>
/// Response bodies in the spec's shape: errors are <c>{ "error": "CamelCase", "description": "…" }</c>, where
/// <c>error</c> is only sent for the codes the spec names (AsyncRequired, ConcurrencyError, …).
/// </summary>
public static class OsbErrors
{
    public const string AsyncRequired = "AsyncRequired";
    public const string ConcurrencyError = "ConcurrencyError";
    public const string MaintenanceInfoConflict = "MaintenanceInfoConflict";

    public static IResult Error(int status, string description, string? code = null) =>
        Results.Json(code is null
            ? new Dictionary<string, string> { ["description"] = description }
            : new Dictionary<string, string> { ["error"] = code, ["description"] = description }, statusCode: status);

    public static IResult BadRequest(string description) => Error(StatusCodes.Status400BadRequest, description);

    public static IResult Empty(int status) => Results.Json(new Dictionary<string, string>(), statusCode: status);

    public static IResult Busy(string description) => Error(StatusCodes.Status422UnprocessableEntity, description, ConcurrencyError);

    public static IResult NeedsAsync(string what) => Error(StatusCodes.Status422UnprocessableEntity,
        $"This broker only {what}s asynchronously: send accepts_incomplete=true and poll last_operation.", AsyncRequired);
}
