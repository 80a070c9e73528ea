using MyiV3.Data.Stats;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Data.Stats;

public sealed class LibraryQueriesTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private readonly LibraryQueries _q = new(fixture.Db.DataSource);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_track_page_has_its_stats_months_and_share_of_listening()
    {
        var s = await StatsScenario.SeedAsync(fixture.Db);
        var track = await _q.TrackAsync(s.User, s.T1, Ct);
        Assert.NotNull(track);
        Assert.Equal("One", track.Name);
        Assert.Equal(new NamedRef(s.AlbumWithCover, "With Cover"), track.Album);
        Assert.Equal([new NamedRef(s.Rock, "Rock Band")], track.Artists);
        Assert.Equal(10, track.Stats.Plays);
        Assert.Equal(0.1, track.Stats.SkipRate, 6);
        Assert.Equal(10d / 22, track.Stats.ShareOfListening, 6);
        Assert.Equal(new DateTimeOffset(2024, 1, 10, 10, 0, 0, TimeSpan.Zero), track.Stats.FirstPlayedAt);
        Assert.Equal([(new DateOnly(2024, 1, 1), 2L), (new DateOnly(2024, 2, 1), 0L), (new DateOnly(2024, 3, 1), 8L)],
            track.PlaysByMonth.Select(m => (m.Month, m.Plays)));
    }

    [Fact]
    public async Task Another_users_track_page_shows_only_their_own_figures()
    {
        var s = await StatsScenario.SeedAsync(fixture.Db);
        var mine = await _q.TrackAsync(s.User, s.T3, Ct);
        Assert.Equal(7, mine!.Stats.Plays);
        var never = await _q.TrackAsync(s.Other, s.T1, Ct);
        Assert.Equal(0, never!.Stats.Plays);
        Assert.Null(never.Stats.FirstPlayedAt);
        Assert.Empty(never.PlaysByMonth);
        Assert.Null(await _q.TrackAsync(s.User, -5, Ct));
    }

    [Fact]
    public async Task An_artist_page_lists_its_top_tracks_and_albums()
    {
        var s = await StatsScenario.SeedAsync(fixture.Db);
        var artist = await _q.ArtistAsync(s.User, s.Pop, Ct);
        Assert.NotNull(artist);
        Assert.Equal(["pop"], artist.Genres);
        Assert.Equal(12, artist.Stats.Plays);
        Assert.Equal([(s.T3, 7L), (s.T2, 5L)], artist.TopTracks.Select(t => (t.Id, t.Plays)));
        Assert.Equal([(s.AlbumPlain, 7L), (s.AlbumWithCover, 5L)], artist.TopAlbums.Select(a => (a.Id, a.Plays)));
        Assert.Equal([7L, 0, 5], artist.PlaysByMonth.Select(m => m.Plays));
        Assert.Null(await _q.ArtistAsync(s.User, -1, Ct));
    }

    [Fact]
    public async Task An_album_page_sums_its_tracks()
    {
        var s = await StatsScenario.SeedAsync(fixture.Db);
        var album = await _q.AlbumAsync(s.User, s.AlbumWithCover, Ct);
        Assert.NotNull(album);
        Assert.Equal(new NamedRef(s.Rock, "Rock Band"), album.Artist);
        Assert.Equal(15, album.Stats.Plays);
        Assert.Equal(3, album.Stats.Skips);
        Assert.Equal(15d / 22, album.Stats.ShareOfListening, 6);
        Assert.Equal(new DateTimeOffset(2024, 1, 10, 10, 0, 0, TimeSpan.Zero), album.Stats.FirstPlayedAt);
        Assert.Equal(new DateTimeOffset(2024, 3, 14, 10, 0, 0, TimeSpan.Zero), album.Stats.LastPlayedAt);
        Assert.Equal([(s.T1, 10L), (s.T2, 5L)], album.TopTracks.Select(t => (t.Id, t.Plays)));
        Assert.Equal([2L, 0, 13], album.PlaysByMonth.Select(m => m.Plays));
        Assert.Null(await _q.AlbumAsync(s.User, -1, Ct));
        // Another user's album page: only their own figures; an album they never played shows zeros.
        Assert.Equal(500, (await _q.AlbumAsync(s.Other, s.AlbumPlain, Ct))!.Stats.Plays);
        var never = await _q.AlbumAsync(s.Other, s.AlbumWithCover, Ct);
        Assert.Equal(0, never!.Stats.Plays);
        Assert.Null(never.Stats.FirstPlayedAt);
    }
}
