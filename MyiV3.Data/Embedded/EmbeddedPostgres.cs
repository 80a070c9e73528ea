using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MyiV3.Data.Embedded;

/// <summary>
/// A private PostgreSQL cluster run from the machine's own server binaries: created on first
/// start, reused afterwards, listening on 127.0.0.1 only, password-protected, stopped on dispose.
/// As root (CI, containers) it runs as the <c>postgres</c> system user, because initdb refuses root.
/// </summary>
public sealed partial class EmbeddedPostgres : IAsyncDisposable
{
    private const string SuperUser = "myi";
    private readonly EmbeddedPostgresOptions _options;
    private readonly ILogger _logger;
    private readonly string _bin;
    private bool _stopped;

    private EmbeddedPostgres(EmbeddedPostgresOptions options, string bin, ILogger logger)
    {
        _options = options;
        _bin = bin;
        _logger = logger;
    }

    public string DataDirectory => Path.Combine(_options.RootDirectory, "data");
    private string RuntimeDirectory => Path.Combine(_options.RootDirectory, "run");
    private string PasswordFile => Path.Combine(_options.RootDirectory, "superuser.password");
    public string LogFile => Path.Combine(RuntimeDirectory, "postgres.log");
    public int Port { get; private set; }
    public string ConnectionString { get; private set; } = "";

    private static bool RunAsPostgresUser => OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess;

    public static async Task<EmbeddedPostgres> StartAsync(EmbeddedPostgresOptions options, ILogger logger, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bin = PostgresBinaries.Find(options.BinDirectory) ?? throw new EmbeddedPostgresUnavailableException(
            "No PostgreSQL server binaries were found (looked for initdb, pg_ctl and postgres under /usr/lib/postgresql/*/bin and on PATH). " +
            "Install them (Debian/Ubuntu: `apt-get install postgresql`), or set Database:Embedded:BinDirectory, " +
            "or point the app at an existing server with ConnectionStrings:Myi (environment variable ConnectionStrings__Myi).");
        var pg = new EmbeddedPostgres(options, bin, logger);
        await pg.StartCoreAsync(ct);
        return pg;
    }

    private async Task StartCoreAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(_options.RootDirectory);
        Directory.CreateDirectory(RuntimeDirectory);
        var password = await EnsurePasswordAsync(ct);
        if (OperatingSystem.IsLinux() && RunAsPostgresUser)
        {
            // The cluster's own folders belong to postgres; the password file stays root-only.
            File.SetUnixFileMode(_options.RootDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            await RunAsync("chown", ["postgres", RuntimeDirectory], asPostgres: false, ct);
        }

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitDbAsync(password, ct);
        }

        var running = await TryReadRunningPortAsync(ct);
        if (running is { } existingPort)
        {
            LogReusing(_logger, existingPort);
            Port = existingPort;
        }
        else
        {
            Port = _options.Port != 0 ? _options.Port : FreePort();
            await WriteConfigAsync(ct);
            LogStarting(_logger, DataDirectory, Port);
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "120", "-s"], RunAsPostgresUser, ct);
        }

        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = SuperUser,
            Password = password,
            Database = "postgres",
        }.ConnectionString;
        await EnsureDatabaseAsync(_options.Database, ct);
        ConnectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = _options.Database }.ConnectionString;
    }

    /// <summary>A connection string to another database of this cluster.</summary>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;

    public async Task EnsureDatabaseAsync(string database, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await conn.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", conn) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", conn);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    private async Task<string> EnsurePasswordAsync(CancellationToken ct)
    {
        if (File.Exists(PasswordFile))
        {
            return (await File.ReadAllTextAsync(PasswordFile, ct)).Trim();
        }

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        await File.WriteAllTextAsync(PasswordFile, password, ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return password;
    }

    private async Task InitDbAsync(string password, CancellationToken ct)
    {
        LogInitializing(_logger, DataDirectory);
        Directory.CreateDirectory(DataDirectory);
        // initdb reads the password from a file that the cluster's owner can read; it is removed right after.
        var pwFile = Path.Combine(RuntimeDirectory, "initdb.pw");
        await File.WriteAllTextAsync(pwFile, password, ct);
        try
        {
            if (RunAsPostgresUser)
            {
                await RunAsync("chown", ["-R", "postgres", DataDirectory, pwFile], asPostgres: false, ct);
            }

            await RunAsync(Path.Combine(_bin, "initdb"),
                ["-D", DataDirectory, "-U", SuperUser, "--pwfile", pwFile, "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"],
                RunAsPostgresUser, ct);
        }
        finally
        {
            File.Delete(pwFile);
        }

        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), "\ninclude_if_exists = 'myi.conf'\n", ct);
    }

    private async Task WriteConfigAsync(CancellationToken ct)
    {
        var conf = new StringBuilder();
        conf.AppendLine("# Written by MyiV3 at every start; edit Database:Embedded:Settings instead.");
        conf.AppendLine(CultureInfo.InvariantCulture, $"port = {Port}");
        conf.AppendLine("listen_addresses = '127.0.0.1'");
        conf.AppendLine(CultureInfo.InvariantCulture, $"unix_socket_directories = '{RuntimeDirectory.Replace("'", "''", StringComparison.Ordinal)}'");
        foreach (var (key, value) in _options.Settings)
        {
            conf.AppendLine(CultureInfo.InvariantCulture, $"{key} = '{value.Replace("'", "''", StringComparison.Ordinal)}'");
        }

        var path = Path.Combine(DataDirectory, "myi.conf");
        await File.WriteAllTextAsync(path, conf.ToString(), ct);
        if (RunAsPostgresUser)
        {
            await RunAsync("chown", ["postgres", path], asPostgres: false, ct);
        }
    }

    private async Task<int?> TryReadRunningPortAsync(CancellationToken ct)
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        var status = await RunAsync(Path.Combine(_bin, "pg_ctl"), ["status", "-D", DataDirectory], RunAsPostgresUser, ct, throwOnError: false);
        if (status != 0)
        {
            return null;
        }

        // postmaster.pid line 4 is the port the running server listens on.
        var lines = await File.ReadAllLinesAsync(pidFile, ct);
        return lines.Length > 3 && int.TryParse(lines[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        LogStopping(_logger, DataDirectory);
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-s"], RunAsPostgresUser, CancellationToken.None, throwOnError: false);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<int> RunAsync(string file, IReadOnlyList<string> args, bool asPostgres, CancellationToken ct, bool throwOnError = true)
    {
        var psi = new ProcessStartInfo
        {
            FileName = asPostgres ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = asPostgres ? "/" : Environment.CurrentDirectory,
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                psi.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new EmbeddedPostgresUnavailableException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0 && throwOnError)
        {
            var log = File.Exists(LogFile) ? string.Join('\n', (await File.ReadAllLinesAsync(LogFile, ct)).TakeLast(15)) : "";
            throw new EmbeddedPostgresUnavailableException(
                $"{Path.GetFileName(file)} failed (exit {process.ExitCode}): {(await stderr).Trim()} {(await stdout).Trim()}\n{log}".Trim());
        }

        return process.ExitCode;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating the embedded PostgreSQL cluster in {DataDirectory}")]
    private static partial void LogInitializing(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting the embedded PostgreSQL cluster in {DataDirectory} on 127.0.0.1:{Port}")]
    private static partial void LogStarting(ILogger logger, string dataDirectory, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "The embedded PostgreSQL cluster is already running on port {Port}; reusing it")]
    private static partial void LogReusing(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping the embedded PostgreSQL cluster in {DataDirectory}")]
    private static partial void LogStopping(ILogger logger, string dataDirectory);
}
