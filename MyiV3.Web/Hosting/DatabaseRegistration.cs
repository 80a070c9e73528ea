using Microsoft.EntityFrameworkCore;
using MyiV3.Data;
using MyiV3.Data.Embedded;
using MyiV3.Data.Ingestion;
using Npgsql;

namespace MyiV3.Web.Hosting;

public static partial class DatabaseRegistration
{
    /// <summary>
    /// Uses ConnectionStrings:Myi when set; otherwise starts the embedded cluster and stops it
    /// when the app stops.
    /// </summary>
    public static async Task AddMyiDatabaseAsync(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Myi");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var options = new EmbeddedPostgresOptions();
            builder.Configuration.GetSection("Database:Embedded").Bind(options);
            if (string.IsNullOrWhiteSpace(options.RootDirectory))
            {
                options.RootDirectory = EmbeddedPostgresOptions.DefaultRootDirectory();
            }

            if (string.IsNullOrWhiteSpace(options.BinDirectory))
            {
                options.BinDirectory = null;
            }

            // The host's logging is not built yet: the same "Logging" configuration (levels, console options) for this one.
            using var loggerFactory = LoggerFactory.Create(l => l.AddConfiguration(builder.Configuration.GetSection("Logging")).AddConsole());
            var embedded = await EmbeddedPostgres.StartAsync(options, loggerFactory.CreateLogger<EmbeddedPostgres>());
            builder.Services.AddSingleton(embedded);
            // Registered before everything else, so it is stopped after every other hosted service.
            builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, EmbeddedPostgresLifetime>());
            connectionString = embedded.ConnectionString;
        }

        builder.Services.AddSingleton(_ => MyiDatabase.CreateDataSource(connectionString));
        builder.Services.AddPooledDbContextFactory<MyiDbContext>((sp, o) =>
        {
            MyiDatabase.Configure(o, sp.GetRequiredService<NpgsqlDataSource>());
            if (builder.Environment.IsDevelopment())
            {
                o.EnableDetailedErrors();
            }
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
    }

    public static async Task MigrateMyiDatabaseAsync(this IServiceProvider services, CancellationToken ct)
    {
        var factory = services.GetRequiredService<IDbContextFactory<MyiDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        // The Npgsql provider reads the history table before creating it and logs that expected
        // failure as an error on every first start (npgsql/efcore.pg#3407): create it first, in the
        // shape EF gives it, so a new user's first log has no false alarm in it.
        await db.Database.ExecuteSqlRawAsync(
            "CREATE TABLE IF NOT EXISTS __ef_migrations_history (migration_id character varying(150) NOT NULL PRIMARY KEY, product_version character varying(32) NOT NULL)", ct);
        await db.Database.MigrateAsync(ct);
        // Enum types created by the migration must be known to the connections opened from now on.
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            await conn.ReloadTypesAsync(ct);
        }

        // Data the migrations' SQL cannot compute; before anything can import.
        await NameKeyBackfill.RunAsync(dataSource, ct);
    }

    private sealed class EmbeddedPostgresLifetime(EmbeddedPostgres embedded) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => embedded.StopAsync();
    }
}
