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
    public async Task Spotify_metadata_fills_in_a_played_track_but_never_moves_it_to_another_album()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        // An export names the album only, so the track is cataloged under a provisional album. (The
        // artist carries its Spotify id here so that this test is about albums alone.)
        ArtistRef[] artist = [new("Artist", "realartist000000000000")];
        await engine.IngestAsync(user, PlaySource.Import,
            [Track("metatrack0000000000000", At("2024-04-01T10:00:00Z"), 150_000, album: "By Name") with { Artists = artist },
             Track("metatrack0000000000000", At("2024-04-02T10:00:00Z"), 90_000, album: "By Name", skipped: true) with { Artists = artist }], Ct);
        var album = await Db.ScalarAsync<long>("SELECT album_id FROM tracks WHERE spotify_id = 'metatrack0000000000000'");

        await new CatalogWriter(Db.DataSource).UpsertTracksAsync([Real("metatrack0000000000000", "realalbum0000000000000", "By Name")], Ct);

        Assert.Equal(album, await Db.ScalarAsync<long>("SELECT album_id FROM tracks WHERE spotify_id = 'metatrack0000000000000'"));
        Assert.Equal(201_000, await Db.ScalarAsync<int>("SELECT duration_ms FROM tracks WHERE spotify_id = 'metatrack0000000000000'"));
        Assert.Equal(1L, await Db.ScalarAsync<long>("SELECT count(*) FROM albums WHERE spotify_id = 'realalbum0000000000000'"));
        Assert.Equal(2L, await Db.ScalarAsync<long>("SELECT play_count FROM user_album_stats WHERE user_id = $1 AND album_id = $2", user, album));
        var diffs = await stats.VerifyAsync(user, Ct);
        Assert.True(diffs.Count == 0, string.Join("\n", diffs.Take(10)));
    }

    [Fact]
    public async Task A_track_Spotify_names_first_gets_its_album()
    {
        await new CatalogWriter(Db.DataSource).UpsertTracksAsync([Real("newtrack00000000000000", "newalbum00000000000000", "New")], Ct);

        Assert.Equal("newalbum00000000000000", await Db.ScalarAsync<string>(
            "SELECT al.spotify_id FROM tracks t JOIN albums al ON al.id = t.album_id WHERE t.spotify_id = 'newtrack00000000000000'"));
    }
}
