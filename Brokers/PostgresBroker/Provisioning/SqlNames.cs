using System.Security.Cryptography;

namespace Granary.Brokers.Postgres.Provisioning;

/// <summary>
/// Names and secrets the broker makes. Nothing a platform sends (instance and binding ids) ever becomes
/// part of SQL text: names are generated, and still quoted wherever they are written into DDL.
/// </summary>
public static class SqlNames
{
    public static string NewDatabase() => "granary_" + RandomHex(8);

    public static string OwnerOf(string database) => database + "_owner";

    public static string NewBindingRole(string database) => database + "_" + RandomHex(5);

    /// <summary>32 hex characters: 128 bits, and nothing that needs escaping in a URI or a JDBC URL.</summary>
    public static string NewPassword() => RandomHex(16);

    public static string NewOperationId() => "op-" + RandomHex(8);

    /// <summary>Double-quoted identifier, embedded quotes doubled.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    /// <summary>Single-quoted literal (standard_conforming_strings is on since PostgreSQL 9.1).</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''") + "'";

    private static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
