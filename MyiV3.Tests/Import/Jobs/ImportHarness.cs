using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Data.Live;
using MyiV3.Jobs.Hosting;
using MyiV3.Jobs.Import;
using MyiV3.Jobs.Import.Generator;
using MyiV3.Jobs.Import.Parsers;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Import.Jobs;

/// <summary>
/// The real import pipeline (upload store, processor, staging, engine, verify) wired as the app wires it,
/// against a test database, with uploads in a private temp folder.
/// </summary>
internal sealed class ImportHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public ImportHarness(TestDatabase db, IDictionary<string, string?>? settings = null, HistoryReaderOptions? readerOptions = null)
    {
        Db = db;
        StorageDirectory = Path.Combine(Path.GetTempPath(), "myiv3-importjobs-" + Guid.NewGuid().ToString("N"));
        var values = new Dictionary<string, string?> { ["Import:StorageDirectory"] = StorageDirectory };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(db.DataSource);
        services.AddSingleton(db.Factory);
        services.AddSingleton<IUserNotifier>(Notifier);
        if (readerOptions is not null)
        {
            services.AddSingleton(readerOptions);
        }

        services.AddMyiImport(configuration);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public TestDatabase Db { get; }
    public string StorageDirectory { get; }
    public RecordingNotifier Notifier { get; } = new();
    public IServiceProvider Services => _services;
    public UploadStore Store => _services.GetRequiredService<UploadStore>();
    public ImportProcessor Processor() => _services.GetRequiredService<ImportProcessor>();
    public IIngestionEngine Engine => _services.GetRequiredService<IIngestionEngine>();
    public IStatsRebuilder Stats => _services.GetRequiredService<IStatsRebuilder>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task<ImportJob> StoreAsync(long userId, string path, string? uploadedAs = null)
    {
        await using var file = File.OpenRead(path);
        return await Store.StoreAsync(userId, uploadedAs ?? Path.GetFileName(path), file, Ct);
    }

    public async Task<ImportJob> StoreAsync(long userId, byte[] content, string uploadedAs)
    {
        using var stream = new MemoryStream(content);
        return await Store.StoreAsync(userId, uploadedAs, stream, Ct);
    }

    /// <summary>Stores and processes one upload, as the Quartz job would.</summary>
    public async Task<ImportJob> ImportAsync(long userId, string path, string? uploadedAs = null)
    {
        var job = await StoreAsync(userId, path, uploadedAs);
        return (await Processor().ProcessAsync(job.Id, Ct))!;
    }

    public async Task<ImportJob> ImportAsync(long userId, byte[] content, string uploadedAs)
    {
        var job = await StoreAsync(userId, content, uploadedAs);
        return (await Processor().ProcessAsync(job.Id, Ct))!;
    }

    public async Task<ImportJob> JobAsync(long id)
    {
        await using var db = await Db.Factory.CreateDbContextAsync(Ct);
        return await db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == id, Ct);
    }

    public async Task AssertVerifiedAsync(long userId)
    {
        var diffs = await Stats.VerifyAsync(userId, Ct);
        Assert.True(diffs.Count == 0, $"{diffs.Count} differences:\n" + string.Join("\n", diffs.Take(10)));
    }

    public async Task<bool> StagingTableExistsAsync(long jobId) =>
        await Db.ScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", ImportStaging.TableName(jobId));

    public async Task<long> StagingTablesLeftAsync() =>
        await Db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname LIKE 'import\\_rows\\_%' AND relkind = 'r'");

    public string[] FilesInStore() => Directory.Exists(StorageDirectory) ? Directory.GetFiles(StorageDirectory) : [];

    public async Task<(long Plays, long Ms)> TotalsAsync(long userId)
    {
        var plays = await Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", userId);
        var ms = await Db.ScalarAsync<long>("SELECT total_listening_ms FROM users WHERE id = $1", userId);
        return (plays, ms);
    }

    public async Task<long> EventCountAsync(long userId) =>
        await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1", userId);

    /// <summary>Everything of a user an import may move: totals, events and every stats table, as text.</summary>
    /// <param name="withLastIngested">A successful import records when the source was last read, even when it added nothing.</param>
    public async Task<string> SnapshotAsync(long userId, bool withLastIngested = true)
    {
        string[] queries =
        [
            withLastIngested
                ? "SELECT total_play_count || '/' || total_listening_ms || '/' || COALESCE(last_ingested_at::text, '-') FROM users WHERE id = $1"
                : "SELECT total_play_count || '/' || total_listening_ms FROM users WHERE id = $1",
            "SELECT count(*) || '/' || COALESCE(sum(ms_played), 0) || '/' || COALESCE(md5(string_agg(track_id || '@' || played_at || ':' || ms_played || ':' || source, ',' ORDER BY played_at, track_id)), '-') FROM listening_events WHERE user_id = $1",
            "SELECT string_agg(concat_ws(',', track_id, play_count, total_ms, skip_count, first_played_at, last_played_at), ';' ORDER BY track_id) FROM user_track_stats WHERE user_id = $1",
            "SELECT string_agg(concat_ws(',', artist_id, play_count, total_ms, skip_count, first_played_at, last_played_at), ';' ORDER BY artist_id) FROM user_artist_stats WHERE user_id = $1",
            "SELECT string_agg(concat_ws(',', album_id, play_count, total_ms, skip_count, first_played_at, last_played_at), ';' ORDER BY album_id) FROM user_album_stats WHERE user_id = $1",
            "SELECT string_agg(concat_ws(',', bucket_type, bucket_date, play_count, total_ms, skip_count), ';' ORDER BY bucket_type, bucket_date) FROM user_time_bucket_stats WHERE user_id = $1",
            "SELECT string_agg(concat_ws(',', hour, play_count, total_ms, skip_count), ';' ORDER BY hour) FROM user_hour_stats WHERE user_id = $1",
            "SELECT string_agg(concat_ws(',', weekday, hour, play_count, total_ms), ';' ORDER BY weekday, hour) FROM user_weekday_hour_stats WHERE user_id = $1",
            "SELECT string_agg(concat_ws(',', month, track_ids, play_counts, total_ms, skip_counts), ';' ORDER BY month) FROM user_month_tracks WHERE user_id = $1",
            "SELECT string_agg(concat_ws(',', month, artist_ids, play_counts, total_ms, skip_counts), ';' ORDER BY month) FROM user_month_artists WHERE user_id = $1",
        ];
        var parts = new List<string>();
        foreach (var sql in queries)
        {
            parts.Add(await Db.ScalarAsync<string>(sql, userId) ?? "(none)");
        }

        return string.Join("\n", parts);
    }

    /// <summary>Writes a generated export to a temp ZIP and returns its path and exact expected outcome.</summary>
    public static (string Path, GeneratedHistory Expected, HistoryGenerator Generator) GenerateZip(
        HistoryGeneratorOptions options, GeneratedLayout layout = GeneratedLayout.Extended)
    {
        var generator = new HistoryGenerator(options);
        var path = Path.Combine(Path.GetTempPath(), "myiv3-gen-" + Guid.NewGuid().ToString("N") + ".zip");
        var expected = generator.WriteZip(path, layout);
        return (path, expected, generator);
    }

    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Samples", "History", name);

    public static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (Directory.Exists(StorageDirectory))
        {
            Directory.Delete(StorageDirectory, recursive: true);
        }
    }
}
