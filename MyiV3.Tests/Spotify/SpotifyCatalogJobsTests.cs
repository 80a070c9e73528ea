using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Jobs.Metadata;
using MyiV3.Jobs.Sync;
using MyiV3.Jobs.TopStats;
using MyiV3.SpotifyEmulator;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Spotify;

public sealed class SpotifyCatalogJobsTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private EmulatorHost _emu = null!;

    public async ValueTask InitializeAsync() => _emu = await EmulatorHost.StartAsync(new Dictionary<string, string?> { ["Emulator:InitialUsers"] = "0" });

    public async ValueTask DisposeAsync() => await _emu.DisposeAsync();

    private Task<SpotifyHarness> HarnessAsync() =>
        SpotifyHarness.CreateAsync(fixture.Db, _emu, more: s => s.AddMyiIngestion());

    [Fact]
    public async Task Top_lists_hold_3_terms_of_50_ranks_are_replaced_atomically_and_follow_the_tiers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await HarnessAsync();
        _emu.State.AddUser("top-user", "Top", 5);
        var user = await h.SignInAsync("top-user", ct);
        var service = h.Get<TopStatsService>();
        Assert.Contains(user.Id, await service.DueUsersAsync(ct));

        await service.RefreshUserAsync(user.Id, ct);
        await service.RefreshUserAsync(user.Id, ct);
        foreach (var table in new[] { "spotify_top_tracks", "spotify_top_artists" })
        {
            Assert.Equal(150L, await fixture.Db.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE user_id = $1", user.Id));
            Assert.Equal(3L, await fixture.Db.ScalarAsync<long>($"SELECT count(DISTINCT term) FROM {table} WHERE user_id = $1 AND rank BETWEEN 1 AND 50", user.Id));
        }

        Assert.DoesNotContain(user.Id, await service.DueUsersAsync(ct));
        // Inactive (no sign-in for 10 days): never on the schedule, still refreshable on demand.
        await fixture.Db.ExecuteAsync("UPDATE users SET last_login_at = now() - interval '10 days' WHERE id = $1", user.Id);
        await fixture.Db.ExecuteAsync("UPDATE spotify_top_tracks SET fetched_at = now() - interval '5 days' WHERE user_id = $1", user.Id);
        Assert.DoesNotContain(user.Id, await service.DueUsersAsync(ct));
        Assert.True(await service.IsStaleAsync(user.Id, ct));
        // Inactive and stale, but quarantined: a dashboard visit has nothing to ask Spotify for.
        await fixture.Db.ExecuteAsync("UPDATE spotify_auth SET is_valid = false WHERE user_id = $1", user.Id);
        Assert.False(await service.IsStaleAsync(user.Id, ct));
        await fixture.Db.ExecuteAsync("UPDATE spotify_auth SET is_valid = true WHERE user_id = $1", user.Id);
        // Casual (signed in 4 days ago), lists 5 days old: due (72 h).
        await fixture.Db.ExecuteAsync("UPDATE users SET last_login_at = now() - interval '4 days' WHERE id = $1", user.Id);
        Assert.Contains(user.Id, await service.DueUsersAsync(ct));
        // Dev mode: artists carry no genres or popularity; that is unknown, not an error.
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>(
            "SELECT count(*) FROM artists a JOIN spotify_top_artists s ON s.artist_id = a.id WHERE s.user_id = $1 AND (a.popularity IS NOT NULL OR cardinality(a.genres) > 0)", user.Id));
    }

    [Fact]
    public async Task Metadata_is_fetched_per_item_and_a_failing_entity_backs_off_alone_then_resets()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await HarnessAsync();
        _emu.State.AddUser("meta-user", "Meta", 12);
        var user = await h.SignInAsync("meta-user", ct);
        await h.Get<SpotifySyncService>().SyncUserAsync(user.Id, ct);
        var service = h.Get<MetadataRefreshService>();

        _emu.State.Faults.Always(Fault.Status(500), "meta-user", Endpoints.Albums);
        var ok = await service.RefreshDueAsync(200, ct);
        Assert.True(ok > 0);
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM artists WHERE NOT is_provisional AND image_url IS NULL"));
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM metadata_refresh_log WHERE entity_type <> 'album' AND failure_count > 0"));
        var albums = await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM metadata_refresh_log WHERE entity_type = 'album' AND failure_count = 1 AND next_refresh_at BETWEEN now() + interval '25 minutes' AND now() + interval '35 minutes'");
        Assert.True(albums > 0);
        Assert.Equal(0, await service.RefreshDueAsync(200, ct)); // nothing due: the failures wait

        await fixture.Db.ExecuteAsync("UPDATE metadata_refresh_log SET next_refresh_at = now() - interval '1 second' WHERE entity_type = 'album'");
        await service.RefreshDueAsync(200, ct);
        Assert.Equal(albums, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM metadata_refresh_log WHERE entity_type = 'album' AND failure_count = 2 AND next_refresh_at > now() + interval '55 minutes'"));

        _emu.State.Faults.Clear();
        await fixture.Db.ExecuteAsync("UPDATE metadata_refresh_log SET next_refresh_at = now() - interval '1 second' WHERE entity_type = 'album'");
        await service.RefreshDueAsync(200, ct);
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM metadata_refresh_log WHERE failure_count > 0"));
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM albums WHERE NOT is_provisional AND image_url IS NULL"));
    }

    [Fact]
    public async Task A_provisional_track_from_an_export_is_merged_into_the_real_track_when_sync_meets_it_and_the_export_again_adds_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await HarnessAsync();
        _emu.State.AddUser("merge-user", "Merge", 0);
        var user = await h.SignInAsync("merge-user", ct);
        var (trackId, name, artist, duration) = _emu.State.TrackAt(42);
        var engine = h.Get<IIngestionEngine>();
        var old = DateTimeOffset.UtcNow.AddDays(-20);
        // Account-data export rows: names only, so the engine makes a provisional track.
        await engine.IngestAsync(user.Id, PlaySource.Import,
        [
            new PlayRecord { PlayedAt = old, MsPlayed = 100_000, TrackName = name, Artists = [new ArtistRef(artist)] },
            new PlayRecord { PlayedAt = old.AddHours(1), MsPlayed = 90_000, TrackName = name.ToUpperInvariant(), Artists = [new ArtistRef(" " + artist)] },
        ], ct);
        Assert.Equal(1L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM tracks WHERE is_provisional"));

        _emu.State.AppendPlays("merge-user", [new EmuPlay(trackId, DateTimeOffset.UtcNow.AddMinutes(-10))]);
        await h.Get<SpotifySyncService>().SyncUserAsync(user.Id, ct);

        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM tracks WHERE is_provisional"));
        Assert.Equal(3L, await fixture.Db.ScalarAsync<long>(
            "SELECT count(*) FROM listening_events e JOIN tracks t ON t.id = e.track_id WHERE e.user_id = $1 AND t.spotify_id = $2", user.Id, trackId));
        Assert.Equal(3L, await fixture.Db.TrackPlayCountAsync(user.Id, trackId));
        Assert.Equal(190_000L + duration, await fixture.Db.ScalarAsync<long>("SELECT total_listening_ms FROM users WHERE id = $1", user.Id));
        Assert.Empty(await h.Get<IStatsRebuilder>().VerifyAsync(user.Id, ct));

        // The same export imported again after the merge, beside a new play of the track by its id:
        // its names find the real track, nothing counts twice.
        var again = await engine.IngestAsync(user.Id, PlaySource.Import,
        [
            new PlayRecord { PlayedAt = old, MsPlayed = 100_000, TrackName = name, Artists = [new ArtistRef(artist)] },
            new PlayRecord { PlayedAt = old.AddHours(1), MsPlayed = 90_000, TrackName = name.ToUpperInvariant(), Artists = [new ArtistRef(" " + artist)] },
            new PlayRecord { PlayedAt = old.AddHours(2), MsPlayed = 50_000, TrackSpotifyId = trackId, TrackName = name, Artists = [new ArtistRef(artist)] },
        ], ct);
        Assert.Equal(1, again.Inserted);
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM tracks WHERE is_provisional"));
        Assert.Equal(4L, await fixture.Db.TrackPlayCountAsync(user.Id, trackId));
        Assert.Equal(240_000L + duration, await fixture.Db.ScalarAsync<long>("SELECT total_listening_ms FROM users WHERE id = $1", user.Id));
        Assert.Empty(await h.Get<IStatsRebuilder>().VerifyAsync(user.Id, ct));
    }
}
