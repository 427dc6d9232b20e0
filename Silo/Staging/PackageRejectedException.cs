namespace Granary.Silo.Staging;

/// <summary>An upload refused for a reason the user can fix; maps to a ProblemDetails with these fields.</summary>
public sealed class PackageRejectedException(int statusCode, string title, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;

    public string Detail { get; } = detail;
}
