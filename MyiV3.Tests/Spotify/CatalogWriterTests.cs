using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Jobs.Spotify;
using MyiV3.Tests.Fixtures;
using static MyiV3.Tests.Fixtures.Plays;

namespace MyiV3.Tests.Spotify;

/// <summary>CatalogWriter (metadata refresh, top lists) against tracks the ingestion engine already cataloged.</summary>
public sealed class CatalogWriterTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private TestDatabase Db => fixture.Db;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SpotifyTrack Real(string id, string albumId, string albumName) =>
        new(id, "Track " + id, 201_000, false, 40,
            new SpotifySimpleAlbum(albumId, albumName, "album", "2020-02-02", 12, [new SpotifyImage("https://img.example/" + albumId, 640, 640)], null),
            [new SpotifySimpleArtist("realartist000000000000", "Artist")], false);

    [Fact]
    public async Task Spotify_metadata_moves_an_imported_track_and_its_statistics_onto_the_real_album_and_artists()
    {
        var user = await TestUsers.CreateAsync(Db);
        var other = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        // An export names album and artist only: the track hangs on provisional rows, shared with a
        // second track of the same album that Spotify has not described yet.
        await engine.IngestAsync(user, PlaySource.Import,
            [Track("metatrack0000000000000", At("2024-04-01T10:00:00Z"), 150_000, artist: "Band", album: "By Name"),
             Track("metatrack0000000000000", At("2024-05-02T10:00:00Z"), 90_000, artist: "Band", album: "By Name", skipped: true),
             Track("sidetrack0000000000000", At("2024-03-01T10:00:00Z"), 100_000, artist: "Band", album: "By Name")], Ct);
        await engine.IngestAsync(other, PlaySource.Import,
            [Track("metatrack0000000000000", At("2024-06-01T10:00:00Z"), 120_000, artist: "Band", album: "By Name")], Ct);
        var provisional = await Db.ScalarAsync<long>("SELECT album_id FROM tracks WHERE spotify_id = 'metatrack0000000000000'");

        await new CatalogWriter(Db.DataSource).UpsertTracksAsync([Real("metatrack0000000000000", "realalbum0000000000000", "By Name")], Ct);

        var real = await Db.ScalarAsync<long>("SELECT id FROM albums WHERE spotify_id = 'realalbum0000000000000'");
        Assert.Equal(real, await Db.ScalarAsync<long>("SELECT album_id FROM tracks WHERE spotify_id = 'metatrack0000000000000'"));
        Assert.Equal(provisional, await Db.ScalarAsync<long>("SELECT album_id FROM tracks WHERE spotify_id = 'sidetrack0000000000000'"));
        Assert.Equal("realartist000000000000", await Db.ScalarAsync<string>(
            "SELECT string_agg(a.spotify_id, ',' ORDER BY ta.position) FROM track_artists ta JOIN artists a ON a.id = ta.artist_id JOIN tracks t ON t.id = ta.track_id WHERE t.spotify_id = 'metatrack0000000000000'"));
        Assert.Equal("2,240000,1", await Db.ScalarAsync<string>(
            "SELECT concat_ws(',', play_count, total_ms, skip_count) FROM user_album_stats WHERE user_id = $1 AND album_id = $2", user, real));
        Assert.Equal("1,100000,0", await Db.ScalarAsync<string>(
            "SELECT concat_ws(',', play_count, total_ms, skip_count) FROM user_album_stats WHERE user_id = $1 AND album_id = $2", user, provisional));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM user_album_stats WHERE user_id = $1 AND album_id = $2", other, provisional));
        Assert.Equal(2L, await Db.ScalarAsync<long>(
            "SELECT s.play_count FROM user_artist_stats s JOIN artists a ON a.id = s.artist_id WHERE s.user_id = $1 AND a.spotify_id = 'realartist000000000000'", user));
        foreach (var id in new[] { user, other })
        {
            var diffs = await stats.VerifyAsync(id, Ct);
            Assert.True(diffs.Count == 0, string.Join("\n", diffs.Take(10)));
        }

        // Described again: nothing moves twice.
        await new CatalogWriter(Db.DataSource).UpsertTracksAsync([Real("metatrack0000000000000", "realalbum0000000000000", "By Name")], Ct);
        Assert.Empty(await stats.VerifyAsync(user, Ct));
        Assert.Equal(2L, await Db.ScalarAsync<long>("SELECT play_count FROM user_album_stats WHERE user_id = $1 AND album_id = $2", user, real));
    }

    [Fact]
    public async Task Provisional_album_and_artist_go_once_their_last_track_moved_and_stay_while_one_is_left()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        await engine.IngestAsync(user, PlaySource.Import,
            [Track("orphantrack00000000001", At("2024-04-01T10:00:00Z"), 150_000, artist: "Orphan Band", album: "Orphan Album"),
             Track("orphantrack00000000002", At("2024-04-02T10:00:00Z"), 100_000, artist: "Orphan Band", album: "Orphan Album")], Ct);
        const string Provisional = "SELECT (SELECT count(*) FROM albums WHERE is_provisional AND name = 'Orphan Album') + (SELECT count(*) FROM artists WHERE is_provisional AND name = 'Orphan Band')";
        Assert.Equal(2L, await Db.ScalarAsync<long>(Provisional));

        await new CatalogWriter(Db.DataSource).UpsertTracksAsync([Real("orphantrack00000000001", "orphanalbum00000000000", "Orphan Album")], Ct);
        Assert.Equal(2L, await Db.ScalarAsync<long>(Provisional));

        await new CatalogWriter(Db.DataSource).UpsertTracksAsync([Real("orphantrack00000000002", "orphanalbum00000000000", "Orphan Album")], Ct);
        Assert.Equal(0L, await Db.ScalarAsync<long>(Provisional));
        Assert.Empty(await stats.VerifyAsync(user, Ct));
        Assert.Equal("2,250000", await Db.ScalarAsync<string>(
            "SELECT concat_ws(',', s.play_count, s.total_ms) FROM user_album_stats s JOIN albums a ON a.id = s.album_id WHERE s.user_id = $1 AND a.spotify_id = 'orphanalbum00000000000'", user));

        // The same names in a later export make the provisional rows anew, and everything still adds up.
        await engine.IngestAsync(user, PlaySource.Import,
            [Track("orphantrack00000000003", At("2024-05-01T10:00:00Z"), 90_000, artist: "Orphan Band", album: "Orphan Album")], Ct);
        Assert.Equal(2L, await Db.ScalarAsync<long>(Provisional));
        Assert.Empty(await stats.VerifyAsync(user, Ct));
    }

    [Fact]
    public async Task A_relink_while_plays_of_the_track_are_being_ingested_loses_and_doubles_nothing()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        await engine.IngestAsync(user, PlaySource.Import, [Track("racetrack0000000000000", At("2023-01-01T10:00:00Z"), 100_000, artist: "Racer", album: "Race")], Ct);

        // Ingestions keep counting plays through the track's album and artists while Spotify's
        // metadata moves them; the catalog lock orders the two, whichever comes first.
        var ingest = Task.Run(async () =>
        {
            for (var i = 0; i < 12; i++)
            {
                var day = At("2023-02-01T10:00:00Z").AddDays(i * 3);
                await engine.IngestAsync(user, PlaySource.Import,
                    [Track("racetrack0000000000000", day, 120_000 + i, artist: "Racer", album: "Race"),
                     Track("racetrack0000000000000", day.AddHours(1), 60_000, artist: "Racer", album: "Race", skipped: true)], Ct);
            }
        }, Ct);
        // An ingestion transaction in flight (it holds the catalog lock shared): the relink waits for it.
        await using (var inFlight = await Db.DataSource.OpenConnectionAsync(Ct))
        {
            await using var tx = await inFlight.BeginTransactionAsync(Ct);
            await using (var hold = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_xact_lock_shared({IngestionSql.CatalogLockNamespace}, 0)", inFlight, tx))
            {
                await hold.ExecuteNonQueryAsync(Ct);
            }

            var relink = new CatalogWriter(Db.DataSource).UpsertTracksAsync([Real("racetrack0000000000000", "racealbum0000000000000", "Race")], Ct);
            await Task.Delay(500, Ct);
            Assert.False(relink.IsCompleted, "a relink must wait for ingestions in flight");
            await tx.CommitAsync(Ct);
            await relink;
        }

        await ingest;

        var diffs = await stats.VerifyAsync(user, Ct);
        Assert.True(diffs.Count == 0, string.Join("\n", diffs.Take(10)));
        Assert.Equal(25L, await Db.ScalarAsync<long>(
            "SELECT s.play_count FROM user_album_stats s JOIN albums al ON al.id = s.album_id WHERE s.user_id = $1 AND al.spotify_id = 'racealbum0000000000000'", user));
        Assert.Equal(25L, await Db.ScalarAsync<long>(
            "SELECT s.play_count FROM user_artist_stats s JOIN artists a ON a.id = s.artist_id WHERE s.user_id = $1 AND a.spotify_id = 'realartist000000000000'", user));
    }

    [Fact]
    public async Task A_track_already_on_a_real_album_and_artist_keeps_them()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        await engine.IngestAsync(user, PlaySource.Api, [Api("keptrack00000000000000", At("2024-04-01T10:00:00Z"), 200_000, ("Kept", "keptartist000000000000"))], Ct);
        await Db.ExecuteAsync("INSERT INTO albums (spotify_id, name) VALUES ('keptalbum0000000000000', 'Kept')");
        await Db.ExecuteAsync("UPDATE tracks SET album_id = (SELECT id FROM albums WHERE spotify_id = 'keptalbum0000000000000') WHERE spotify_id = 'keptrack00000000000000'");
        await stats.RebuildAsync(user, Ct);

        await new CatalogWriter(Db.DataSource).UpsertTracksAsync([Real("keptrack00000000000000", "otheralbum000000000000", "Other")], Ct);

        Assert.Equal("keptalbum0000000000000", await Db.ScalarAsync<string>(
            "SELECT al.spotify_id FROM tracks t JOIN albums al ON al.id = t.album_id WHERE t.spotify_id = 'keptrack00000000000000'"));
        Assert.Equal("keptartist000000000000", await Db.ScalarAsync<string>(
            "SELECT string_agg(a.spotify_id, ',') FROM track_artists ta JOIN artists a ON a.id = ta.artist_id JOIN tracks t ON t.id = ta.track_id WHERE t.spotify_id = 'keptrack00000000000000'"));
        Assert.Empty(await stats.VerifyAsync(user, Ct));
    }

    [Fact]
    public async Task A_track_Spotify_names_first_gets_its_album()
    {
        await new CatalogWriter(Db.DataSource).UpsertTracksAsync([Real("newtrack00000000000000", "newalbum00000000000000", "New")], Ct);

        Assert.Equal("newalbum00000000000000", await Db.ScalarAsync<string>(
            "SELECT al.spotify_id FROM tracks t JOIN albums al ON al.id = t.album_id WHERE t.spotify_id = 'newtrack00000000000000'"));
    }
}
