using Microsoft.EntityFrameworkCore;
using MyiV3.Data;
using MyiV3.Data.Entities;
using MyiV3.Jobs.Hosting;
using MyiV3.Web.Hosting;

namespace MyiV3.Web.Cli;

/// <summary>
/// `dotnet run --project MyiV3.Web -- import|stats|verify …`: the same engine and database as the
/// app, without the web server or the scheduler.
/// </summary>
public static class CliApp
{
    public static readonly string[] Commands = ["import", "stats", "verify"];

    public static bool Handles(string[] args) => args.Length > 0 && Commands.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        CliArguments parsed;
        try
        {
            parsed = CliArguments.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync(ex.Message);
            await error.WriteLineAsync(Usage);
            return 64;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = parsed.HostArgs, ApplicationName = typeof(CliApp).Assembly.GetName().Name });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Every log line to stderr: stdout carries only the command's own output (the JSON of stats --json, for a pipe).
        // Through configuration, so the embedded cluster's start-up logger, made before the host, reads it too.
        builder.Configuration.AddInMemoryCollection([new("Logging:Console:LogToStandardErrorThreshold", nameof(LogLevel.Trace))]);
        await builder.AddMyiDatabaseAsync();
        builder.Services.AddMyiImport(builder.Configuration);
        using var host = builder.Build();
        await host.Services.MigrateMyiDatabaseAsync(ct);
        try
        {
            return parsed.Command switch
            {
                "import" => await ImportCommand.RunAsync(host.Services, parsed, output, error, ct),
                "stats" => await StatsCommand.RunAsync(host.Services, parsed, output, error, ct),
                _ => await VerifyCommand.RunAsync(host.Services, parsed, output, error, ct),
            };
        }
        finally
        {
            if (host.Services.GetService<MyiV3.Data.Embedded.EmbeddedPostgres>() is { } pg)
            {
                await pg.StopAsync();
            }
        }
    }

    public const string Usage = """
        usage: dotnet run --project MyiV3.Web -- import <file.json|export.zip|unpacked export folder>... --user <name>
               dotnet run --project MyiV3.Web -- stats --user <name> [--json]
               dotnet run --project MyiV3.Web -- verify --user <name>
        """;

    /// <summary>The user a command acts for, created on first import ("local:&lt;name&gt;").</summary>
    internal static async Task<User?> FindUserAsync(IServiceProvider services, string name, bool create, CancellationToken ct)
    {
        var factory = services.GetRequiredService<IDbContextFactory<MyiDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        var spotifyId = "local:" + name;
        var user = await db.Users.SingleOrDefaultAsync(u => u.SpotifyId == spotifyId || u.DisplayName == name, ct);
        if (user is null && create)
        {
            var now = TimeProvider.System.GetUtcNow();
            user = new User { SpotifyId = spotifyId, DisplayName = name, CreatedAt = now, UpdatedAt = now };
            user.Settings = new UserSettings { UpdatedAt = now };
            db.Users.Add(user);
            await db.SaveChangesAsync(ct);
        }

        return user;
    }
}

internal sealed record CliArguments(string Command, IReadOnlyList<string> Files, string User, bool Json, string[] HostArgs)
{
    public static CliArguments Parse(string[] args)
    {
        var files = new List<string>();
        var hostArgs = new List<string>();
        string? user = null;
        var json = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--user" when i + 1 < args.Length:
                    user = args[++i];
                    break;
                case "--json":
                    json = true;
                    break;
                case var a when a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal):
                    hostArgs.Add(a);
                    break;
                case var a when a.StartsWith("--", StringComparison.Ordinal):
                    throw new ArgumentException($"Unknown option {a}.");
                default:
                    files.Add(args[i]);
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(user))
        {
            throw new ArgumentException("--user <name> is required.");
        }

        if (args[0] == "import" && files.Count == 0)
        {
            throw new ArgumentException("import needs at least one file (a history JSON file or the export ZIP).");
        }

        return new CliArguments(args[0], files, user, json, [.. hostArgs]);
    }
}
