using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Jobs.Import.Generator;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Import.Jobs;

/// <summary>The import and the Spotify sync meet: at the same time for one user, and on the same plays.</summary>
public sealed class ImportWithSyncTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private TestDatabase Db => fixture.Db;

    /// <summary>A generated play as the recently-played API reports it: ids, the track's whole duration as the estimate.</summary>
    private static PlayRecord AsApiPlay(GeneratedPlay play, DateTimeOffset playedAt) => new()
    {
        PlayedAt = playedAt,
        MsPlayed = play.Track.DurationMs,
        TrackSpotifyId = play.Track.SpotifyId,
        TrackName = play.Track.Name,
        TrackDurationMs = play.Track.DurationMs,
        Artists = play.Track.Artists.Select(a => new ArtistRef(a.Name, a.SpotifyId)).ToArray(),
    };

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    [Fact]
    public async Task An_import_and_sync_batches_at_the_same_time_never_lose_or_double_an_increment()
    {
        await using var h = new ImportHarness(Db, new Dictionary<string, string?> { ["Import:BatchSize"] = "800" });
        var user = await TestUsers.CreateAsync(Db, "America/New_York");
        var (zip, expected, generator) = ImportHarness.GenerateZip(new HistoryGeneratorOptions { Plays = 8_000, Seed = 77, Years = 2 });
        var truth = generator.ExpectedPlays().ToList();
        // The sync reports some of the same plays (estimates the import must replace or be recognised by)…
        var samePlays = truth.Where((_, i) => i % 9 == 0).Select(p => AsApiPlay(p, Utc(p.EndedAt))).ToList();
        // …and plays after the export was made, which only the sync knows.
        var newPlays = Enumerable.Range(0, 600)
            .Select(i => Plays.Api($"syncnew{i % 37:D15}", new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero).AddMinutes(4 * i), 150_000 + i))
            .ToList();
        var syncBatches = samePlays.Concat(newPlays).Chunk(50).ToList();

        var stored = await h.StoreAsync(user, zip, "my_spotify_data.zip");
        var import = Task.Run(() => h.Processor().ProcessAsync(stored.Id, TestContext.Current.CancellationToken));
        var sync = Task.Run(async () =>
        {
            foreach (var batch in syncBatches)
            {
                await h.Engine.IngestAsync(user, PlaySource.Api, batch, TestContext.Current.CancellationToken);
            }
        });
        await Task.WhenAll(import, sync);

        var job = (await import)!;
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(
            (expected.DistinctPlays + newPlays.Count, expected.TotalMsPlayed + newPlays.Sum(p => (long)p.MsPlayed)),
            await h.TotalsAsync(user));
        Assert.Equal(expected.DistinctPlays + newPlays.Count, await h.EventCountAsync(user));
        // Every play the export knows holds the export's exact duration, whichever side came first.
        Assert.Equal(expected.DistinctPlays, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1 AND source = 'IMPORT'", user));
        // Catalog upserts run outside the user lock: both sides racing must not give a track two artist lists.
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM (SELECT track_id, position FROM track_artists GROUP BY 1, 2 HAVING count(*) > 1) x"));
        await h.AssertVerifiedAsync(user);
        File.Delete(zip);
    }

    [Theory]
    [InlineData(false)] // the API sent the end of playback
    [InlineData(true)]  // the API sent the start (spotify/web-api #613, #1083)
    public async Task A_play_synced_first_and_imported_later_is_one_play_with_the_exports_exact_duration(bool apiSentStart)
    {
        await using var h = new ImportHarness(Db);
        var user = await TestUsers.CreateAsync(Db);
        var (zip, expected, generator) = ImportHarness.GenerateZip(new HistoryGeneratorOptions { Plays = 5_000, Seed = 13 });
        // A play cut short: the API's estimate (the whole track) is wrong by a lot.
        var play = generator.ExpectedPlays().Skip(100).First(p => p.MsPlayed < p.Track.DurationMs - 30_000);
        var end = Utc(play.EndedAt);
        var apiTime = apiSentStart ? end.AddMilliseconds(-play.MsPlayed) : end;
        await h.Engine.IngestAsync(user, PlaySource.Api, [AsApiPlay(play, apiTime)], TestContext.Current.CancellationToken);
        Assert.Equal((1L, (long)play.Track.DurationMs), await h.TotalsAsync(user));

        var job = await h.ImportAsync(user, zip);

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(expected.DistinctPlays, job.ImportedRows);
        // Where the API's row was (its start or end) up to the play's end: only the imported play is left.
        var events = await Db.ScalarAsync<string>("""
            SELECT string_agg(to_char(e.played_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '|' || e.ms_played || '|' || e.source, ';')
            FROM listening_events e JOIN tracks t ON t.id = e.track_id
            WHERE e.user_id = $1 AND t.spotify_id = $2 AND e.played_at BETWEEN $3 AND $4
            """, user, play.Track.SpotifyId, apiTime.AddSeconds(-1), end.AddSeconds(1));
        Assert.Equal(
            ImportHarness.Invariant($"{end.UtcDateTime:yyyy-MM-dd HH:mm:ss}|{play.MsPlayed}|IMPORT"),
            events);
        Assert.Equal((expected.DistinctPlays, expected.TotalMsPlayed), await h.TotalsAsync(user));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1 AND source = 'API'", user));
        await h.AssertVerifiedAsync(user);
        File.Delete(zip);
    }
}
