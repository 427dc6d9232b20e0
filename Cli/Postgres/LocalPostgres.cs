using System.Diagnostics;
using System.Security.Cryptography;

namespace Granary.Cli.Postgres;

/// <summary>
/// A PostgreSQL server that Granary owns: its own data directory, loopback port and superuser
/// <c>granary</c> with a generated password. The micro cloud and the node tool run one when no
/// database is given; tests start private ones.
/// </summary>
/// <param name="listenAddress">Loopback for the micro cloud and tests; a cluster core listens where the other nodes reach it.</param>
internal sealed class LocalPostgres(string binDir, string dataDir, int port, string listenAddress = "127.0.0.1")
{
    public const string Superuser = "granary";

    public string DataDir { get; } = dataDir;
    public int Port { get; } = port;
    public string LogFile => Path.Combine(Path.GetDirectoryName(DataDir)!, "postgres.log");
    private string PasswordFile => Path.Combine(Path.GetDirectoryName(DataDir)!, "postgres-password");

    /// <summary>The superuser's password, made at the first <see cref="InitializeAsync"/>.</summary>
    public string Password => File.ReadAllText(PasswordFile).Trim();

    public bool IsInitialized => File.Exists(Path.Combine(DataDir, "PG_VERSION"));

    public string ListenAddress { get; } = listenAddress;

    public string ConnectionString(string database) =>
        $"Host={ListenAddress};Port={Port};Username={Superuser};Password={Password};Database={database}";

    /// <summary>initdb, once: password authentication even on loopback, so other local users cannot walk in.</summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        if (IsInitialized)
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(DataDir)!);
        if (!File.Exists(PasswordFile))
            WriteOwnerOnly(PasswordFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
        // A half-made directory from an interrupted initdb would make initdb refuse forever.
        if (Directory.Exists(DataDir))
            Directory.Delete(DataDir, recursive: true);
        await RunAsync("initdb",
            ["-D", DataDir, "-U", Superuser, "--pwfile", PasswordFile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            ct);
    }

    /// <summary>Starts the server and waits until it accepts connections. TCP on the listen address only, no Unix socket.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (await IsRunningAsync(ct))
            return;
        AllowRemotePasswordLogins();
        var serverOptions = $"-p {Port} -c listen_addresses={ListenAddress} -c unix_socket_directories='' -c max_connections=300";
        await RunAsync("pg_ctl", ["start", "-w", "-t", "60", "-D", DataDir, "-l", LogFile, "-o", serverOptions], ct);
    }

    /// <summary>
    /// initdb only lets loopback clients in. A server listening for other nodes also takes them, still with
    /// SCRAM passwords (the generated superuser password travels to a joining node through the admin-only join call).
    /// </summary>
    private void AllowRemotePasswordLogins()
    {
        if (System.Net.IPAddress.TryParse(ListenAddress, out var ip) && System.Net.IPAddress.IsLoopback(ip))
            return;
        var hba = Path.Combine(DataDir, "pg_hba.conf");
        const string remote = "host all all 0.0.0.0/0 scram-sha-256";
        if (File.Exists(hba) && !File.ReadLines(hba).Any(line => line.Trim() == remote))
            File.AppendAllText(hba, $"\n# granary node setup core: other nodes of the cluster\n{remote}\n");
    }

    /// <summary>Fast shutdown: open sessions are ended, data is flushed.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        if (IsInitialized && await IsRunningAsync(ct))
            await RunAsync("pg_ctl", ["stop", "-w", "-t", "60", "-m", "fast", "-D", DataDir], ct);
    }

    public async Task<bool> IsRunningAsync(CancellationToken ct) =>
        IsInitialized && (await ExecuteAsync("pg_ctl", ["status", "-D", DataDir], ct)).ExitCode == 0;

    private async Task RunAsync(string program, IReadOnlyList<string> args, CancellationToken ct)
    {
        var (exitCode, output) = await ExecuteAsync(program, args, ct);
        if (exitCode != 0)
        {
            var log = File.Exists(LogFile) ? "\n" + string.Join('\n', File.ReadLines(LogFile).TakeLast(15)) : "";
            throw new CliException($"{program} {args[0]} failed (exit {exitCode}): {output.Trim()}{log}");
        }
    }

    private async Task<(int ExitCode, string Output)> ExecuteAsync(string program, IReadOnlyList<string> args, CancellationToken ct)
    {
        var start = StartInfo(Path.Combine(binDir, program), args);
        using var process = Process.Start(start) ?? throw new CliException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>
    /// PostgreSQL refuses to run as root. As root, the programs run in a user namespace where they are an
    /// ordinary user that owns root's files, so the data directory can stay under root's home.
    /// </summary>
    private static ProcessStartInfo StartInfo(string program, IReadOnlyList<string> args)
    {
        var asRoot = !OperatingSystem.IsWindows() && Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "unshare" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asRoot)
        {
            foreach (var arg in new[] { "--user", "--map-user=1000", "--map-group=1000", program })
                start.ArgumentList.Add(arg);
        }
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // The server inherits pg_ctl's environment; keep the caller's secrets out of it.
        start.Environment.Remove("GRANARY_ADMIN_TOKEN");
        start.Environment["LC_ALL"] = "C.UTF-8";
        return start;
    }

    private static void WriteOwnerOnly(string file, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(new FileStream(file, options));
        writer.Write(text);
    }
}
