using Microsoft.Extensions.Logging;
using MyiV3.Data.Ingestion;
using MyiV3.Tests.Fixtures;
using MyiV3.Tests.Spotify;
using static MyiV3.Tests.Fixtures.Plays;

namespace MyiV3.Tests.Ingestion;

/// <summary>What the tests of an import's slices share: a history, and an engine whose log they read.</summary>
internal static class SliceTestKit
{
    public const string UsedPrepared = "uses the slice made ready ahead";
    public const string WroteEarly = "writes its events while the batch before commits";

    /// <summary>Plays 200 s to 2.5 h apart over 60 tracks, some skipped or private, and the first 40 twice (overlapping files).</summary>
    public static List<PlayRecord> History(string prefix, int count, DateTimeOffset start)
    {
        var rng = new Random(count);
        var t = start;
        var plays = new List<PlayRecord>();
        for (var i = 0; i < count; i++)
        {
            t = t.AddSeconds(rng.Next(200, 9_000));
            var track = $"{prefix}{rng.Next(0, 60):D19}";
            var skipped = rng.Next(0, 6) == 0;
            plays.Add(Track(track, t, skipped ? rng.Next(1_000, 20_000) : rng.Next(90_000, 300_000), artist: $"Artist {track[^2..]}", skipped: skipped) with
            {
                Incognito = i % 17 == 0,
            });
        }

        // Overlapping files repeat rows: the slices must still count each play once.
        plays.AddRange(plays.Take(40));
        return plays;
    }

    public static (IngestionEngine Engine, LogCapture Logs) Engine(TestDatabase db, bool overlap = true)
    {
        var logs = new LogCapture();
        var engine = new IngestionEngine(db.DataSource, TimeProvider.System, new RecordingNotifier(), new LoggerAdapter(logs.CreateLogger("engine")))
        {
            OverlapBatches = overlap,
        };
        return (engine, logs);
    }

    public static async Task<List<BatchResult>> ImportAsync(IngestionEngine engine, long user, long job, int batchSize, CancellationToken ct)
    {
        var results = new List<BatchResult>();
        await foreach (var r in engine.ApplyStagedAsync(user, job, await engine.PrepareImportAsync(job, 0, batchSize, ct), ct))
        {
            results.Add(r);
        }

        return results;
    }

    /// <summary>Lets a category logger stand in for the engine's typed one.</summary>
    private sealed class LoggerAdapter(ILogger inner) : ILogger<IngestionEngine>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
