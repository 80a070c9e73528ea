using Microsoft.Extensions.Logging.Abstractions;
using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Jobs.Import.Generator;
using MyiV3.Jobs.Metadata;
using MyiV3.Jobs.Spotify;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Import.Jobs;

/// <summary>The metadata job merges a provisional track while the account-data export that made it is still importing.</summary>
public sealed class ImportMergeTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private TestDatabase Db => fixture.Db;

    [Fact]
    public async Task The_merge_clears_every_table_that_refers_to_tracks_before_it_deletes_them_without_their_triggers()
    {
        // ProvisionalMerger deletes merged tracks without the per-row foreign-key triggers, having moved or deleted
        // what refers to them itself: a new foreign key to tracks must be handled there too.
        var referring = await Db.ScalarAsync<string>("""
            SELECT string_agg(conrelid::regclass::text, ',' ORDER BY conrelid::regclass::text)
            FROM pg_constraint WHERE contype = 'f' AND confrelid = 'tracks'::regclass AND conparentid = 0
            """);

        Assert.Equal("listening_events,spotify_top_tracks,track_aliases,track_artists,user_track_stats", referring);
    }

    [Fact]
    public async Task A_provisional_track_merged_into_spotifys_between_two_batches_of_its_import_leaves_the_import_complete_and_exact()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = new ImportHarness(Db, new Dictionary<string, string?> { ["Import:BatchSize"] = "400" });
        var user = await TestUsers.CreateAsync(Db, "Europe/Berlin");
        var (zip, expected, generator) = ImportHarness.GenerateZip(
            new HistoryGeneratorOptions { Plays = 3_000, Seed = 91, Years = 2 }, GeneratedLayout.AccountData);
        // The most played track has plays in every batch: before the merge, and after it.
        var track = generator.ExpectedPlays(GeneratedLayout.AccountData)
            .GroupBy(p => p.Track.SpotifyId).MaxBy(g => g.Count())!.First().Track;
        var artist = track.Album.Artist;
        // Spotify's own track (as sync or the metadata job would have cataloged it), for another user.
        var other = await TestUsers.CreateAsync(Db);
        await h.Engine.IngestAsync(other, PlaySource.Api,
            [Plays.Api(track.SpotifyId, DateTimeOffset.UtcNow.AddDays(-1), track.DurationMs, (artist.Name, artist.SpotifyId))], ct);
        var provisionalKey = CatalogKeys.NameKey(artist.Name, track.Name);
        var merger = new ProvisionalMerger(Db.DataSource, h.Stats, NullLogger<ProvisionalMerger>.Instance);
        var spotifyTrack = new SpotifyTrack(track.SpotifyId, track.Name, track.DurationMs, false, 50, null,
            [new SpotifySimpleArtist(artist.SpotifyId, artist.Name)], false);

        var stored = await h.StoreAsync(user, zip, "my_spotify_data.zip");
        var processor = h.Processor();
        var mergedAfter = -1L;
        processor.Progress = job =>
        {
            if (mergedAfter < 0 && job.AppliedRows > 0 && job.AppliedRows < job.StagedRows)
            {
                // Between two committed batches, as the metadata job may run at any time.
                Assert.Equal(1L, Db.ScalarAsync<long>("SELECT count(*) FROM tracks WHERE spotify_id = $1", provisionalKey).GetAwaiter().GetResult());
                Assert.Equal(1, Task.Run(() => merger.MergeAsync([spotifyTrack], ct), ct).GetAwaiter().GetResult());
                mergedAfter = job.AppliedRows;
            }
        };
        var done = (await processor.ProcessAsync(stored.Id, ct))!;

        Assert.True(mergedAfter > 0, "the merge ran between two batches");
        Assert.Equal(JobStatus.Completed, done.Status);
        Assert.Equal(expected.PlayRows, done.AppliedRows);
        Assert.Equal(expected.DistinctPlays, done.ImportedRows);
        Assert.Equal((expected.DistinctPlays, expected.TotalMsPlayed), await h.TotalsAsync(user));
        Assert.Equal(expected.DistinctPlays, await h.EventCountAsync(user));
        // Every play of the track, from before the merge and after it, is on Spotify's track; none made it provisional again.
        var truthPlays = generator.ExpectedPlays(GeneratedLayout.AccountData).LongCount(p => p.Track.SpotifyId == track.SpotifyId);
        Assert.Equal(truthPlays, await Db.ScalarAsync<long>(
            "SELECT count(*) FROM listening_events e JOIN tracks t ON t.id = e.track_id WHERE e.user_id = $1 AND t.spotify_id = $2", user, track.SpotifyId));
        Assert.Equal(truthPlays, await Db.TrackPlayCountAsync(user, track.SpotifyId));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM tracks WHERE spotify_id = $1", provisionalKey));
        Assert.Equal(1L, await Db.ScalarAsync<long>("SELECT count(*) FROM track_aliases WHERE spotify_id = $1", provisionalKey));
        await h.AssertVerifiedAsync(user);
        await h.AssertVerifiedAsync(other);
        File.Delete(zip);
    }

    [Fact]
    public async Task The_provisional_artist_of_a_merged_track_goes_once_no_track_credits_it_and_stays_while_one_does()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = new ImportHarness(Db);
        var user = await TestUsers.CreateAsync(Db);
        var account = System.Text.Encoding.UTF8.GetBytes("""
            [
              {"endTime":"2024-02-01 10:00","artistName":"Lone Merger","trackName":"First Song","msPlayed":180000},
              {"endTime":"2024-02-01 10:05","artistName":"Lone Merger","trackName":"Second Song","msPlayed":170000}
            ]
            """);
        Assert.Equal(JobStatus.Completed, (await h.ImportAsync(user, account, "StreamingHistory_music_0.json")).Status);
        const string Provisional = "SELECT count(*) FROM artists WHERE is_provisional AND name = 'Lone Merger'";
        Assert.Equal(1L, await Db.ScalarAsync<long>(Provisional));
        var merger = new ProvisionalMerger(Db.DataSource, h.Stats, NullLogger<ProvisionalMerger>.Instance);
        SpotifyTrack Real(string id, string name) => new(id, name, 200_000, false, 50, null, [new SpotifySimpleArtist("lonemergerartist000000", "Lone Merger")], false);
        // Spotify's tracks as the metadata job catalogs them (CatalogWriter) before it merges.
        var first = Real("lonemergerfirst0000000", "First Song");
        var second = Real("lonemergersecond000000", "Second Song");

        await new CatalogWriter(Db.DataSource).UpsertTracksAsync([first], ct);
        Assert.Equal(1, await merger.MergeAsync([first], ct));
        Assert.Equal(1L, await Db.ScalarAsync<long>(Provisional));
        await h.AssertVerifiedAsync(user);

        await new CatalogWriter(Db.DataSource).UpsertTracksAsync([second], ct);
        Assert.Equal(1, await merger.MergeAsync([second], ct));
        Assert.Equal(0L, await Db.ScalarAsync<long>(Provisional));
        await h.AssertVerifiedAsync(user);
        Assert.Equal((2L, 350_000L), await h.TotalsAsync(user));
        Assert.Equal(2L, await Db.ScalarAsync<long>(
            "SELECT s.play_count FROM user_artist_stats s JOIN artists a ON a.id = s.artist_id WHERE s.user_id = $1 AND a.spotify_id = 'lonemergerartist000000'", user));
    }

    [Fact]
    public async Task A_merge_that_fails_while_recomputing_a_user_leaves_every_user_track_and_statistic_as_before()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = new ImportHarness(Db);
        var first = await TestUsers.CreateAsync(Db);
        var second = await TestUsers.CreateAsync(Db, "Asia/Tokyo");
        foreach (var user in new[] { first, second })
        {
            var account = System.Text.Encoding.UTF8.GetBytes("""
                [
                  {"endTime":"2024-03-01 10:00","artistName":"Half Merger","trackName":"Only Song","msPlayed":180000},
                  {"endTime":"2024-03-02 11:00","artistName":"Half Merger","trackName":"Only Song","msPlayed":90000}
                ]
                """);
            Assert.Equal(JobStatus.Completed, (await h.ImportAsync(user, account, "StreamingHistory_music_0.json")).Status);
        }

        var key = CatalogKeys.NameKey("Half Merger", "Only Song");
        var real = new SpotifyTrack("halfmergeronly00000000", "Only Song", 200_000, false, 50, null,
            [new SpotifySimpleArtist("halfmergerartist000000", "Half Merger")], false);
        await new CatalogWriter(Db.DataSource).UpsertTracksAsync([real], ct);
        var failing = new FailingOnSecondRecompute(h.Stats);
        var merger = new ProvisionalMerger(Db.DataSource, failing, NullLogger<ProvisionalMerger>.Instance);

        await Assert.ThrowsAsync<InvalidOperationException>(() => merger.MergeAsync([real], ct));

        Assert.Equal(2, failing.Calls);
        Assert.Equal(1L, await Db.ScalarAsync<long>("SELECT count(*) FROM tracks WHERE spotify_id = $1 AND is_provisional", key));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM track_aliases WHERE spotify_id = $1", key));
        Assert.Equal(1L, await Db.ScalarAsync<long>("SELECT count(*) FROM artists WHERE is_provisional AND name = 'Half Merger'"));
        foreach (var user in new[] { first, second })
        {
            Assert.Equal((2L, 270_000L), await h.TotalsAsync(user));
            Assert.Equal(2L, await Db.ScalarAsync<long>(
                "SELECT count(*) FROM listening_events e JOIN tracks t ON t.id = e.track_id WHERE e.user_id = $1 AND t.spotify_id = $2", user, key));
            await h.AssertVerifiedAsync(user);
        }

        // Run again without the fault, the same merge goes through for both.
        Assert.Equal(2, await new ProvisionalMerger(Db.DataSource, h.Stats, NullLogger<ProvisionalMerger>.Instance).MergeAsync([real], ct));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM tracks WHERE spotify_id = $1", key));
        foreach (var user in new[] { first, second })
        {
            Assert.Equal(2L, await Db.TrackPlayCountAsync(user, "halfmergeronly00000000"));
            await h.AssertVerifiedAsync(user);
        }
    }

    [Fact]
    public async Task A_merge_runs_alongside_plays_arriving_and_rebuilds_for_the_same_user_without_deadlock_or_a_lost_play()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = new ImportHarness(Db);
        var user = await TestUsers.CreateAsync(Db);
        var names = Enumerable.Range(0, 12).Select(i => $"Busy Song {i}").ToArray();
        var rows = string.Join(",\n", names.Select((n, i) => $$"""{"endTime":"2024-04-01 {{10 + i}}:00","artistName":"Busy Merger","trackName":"{{n}}","msPlayed":100000}"""));
        Assert.Equal(JobStatus.Completed, (await h.ImportAsync(user, System.Text.Encoding.UTF8.GetBytes($"[{rows}]"), "StreamingHistory_music_0.json")).Status);
        var real = names.Select((n, i) => new SpotifyTrack($"busymerger{i:D12}", n, 200_000, false, 50, null,
            [new SpotifySimpleArtist("busymergerartist000000", "Busy Merger")], false)).ToList();
        await new CatalogWriter(Db.DataSource).UpsertTracksAsync(real, ct);
        var merger = new ProvisionalMerger(Db.DataSource, h.Stats, NullLogger<ProvisionalMerger>.Instance);
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        // Each track merged on its own while API plays of those tracks arrive and the user's statistics are rebuilt.
        var merges = Task.Run(async () =>
        {
            foreach (var track in real)
            {
                Assert.Equal(1, await merger.MergeAsync([track], ct));
            }
        }, ct);
        var plays = Task.Run(async () =>
        {
            for (var i = 0; i < real.Count; i++)
            {
                await h.Engine.IngestAsync(user, PlaySource.Api,
                    [Plays.Api(real[i].Id, start.AddHours(i), 200_000, ("Busy Merger", "busymergerartist000000"))], ct);
            }
        }, ct);
        var rebuilds = Task.Run(async () =>
        {
            for (var i = 0; i < 6; i++)
            {
                await h.Stats.RebuildAsync(user, ct);
            }
        }, ct);
        await Task.WhenAll(merges, plays, rebuilds).WaitAsync(TimeSpan.FromSeconds(60), ct);

        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM tracks WHERE is_provisional AND name LIKE 'Busy Song %'"));
        Assert.Equal((24L, (12L * 100_000) + (12L * 200_000)), await h.TotalsAsync(user));
        Assert.Equal(2L, await Db.TrackPlayCountAsync(user, "busymerger000000000005"));
        await h.AssertVerifiedAsync(user);
    }

    /// <summary>Recomputes the first user as asked, then fails on the second, inside the merge's transaction.</summary>
    private sealed class FailingOnSecondRecompute(IStatsRebuilder inner) : IStatsRebuilder
    {
        public int Calls { get; private set; }

        public Task RebuildAsync(long userId, CancellationToken ct) => inner.RebuildAsync(userId, ct);

        public async Task RecomputeInTransactionAsync(Npgsql.NpgsqlConnection conn, long userId, CancellationToken ct)
        {
            if (++Calls == 2)
            {
                throw new InvalidOperationException("the database went away");
            }

            await inner.RecomputeInTransactionAsync(conn, userId, ct);
        }

        public void Announce(long userId) => inner.Announce(userId);

        public Task<IReadOnlyList<StatsDifference>> VerifyAsync(long userId, CancellationToken ct) => inner.VerifyAsync(userId, ct);
    }
}
