using Microsoft.Extensions.DependencyInjection;
using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Data.Live;
using MyiV3.Jobs.Sync;
using MyiV3.SpotifyEmulator;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Spotify;

public sealed class SpotifySyncTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private EmulatorHost _emu = null!;
    private readonly RecordingNotifier _notifier = new();

    public async ValueTask InitializeAsync() => _emu = await EmulatorHost.StartAsync(new Dictionary<string, string?>
    {
        ["Emulator:InitialUsers"] = "0",
        ["Emulator:RandomFaults:Seed"] = "11",
    });

    public async ValueTask DisposeAsync() => await _emu.DisposeAsync();

    private Task<SpotifyHarness> HarnessAsync(Dictionary<string, string?>? overrides = null) =>
        SpotifyHarness.CreateAsync(fixture.Db, _emu, overrides ?? new() { ["Spotify:SyncCooldown"] = "00:00:00" }, more: s =>
        {
            s.AddSingleton<IUserNotifier>(_notifier);
            s.AddMyiIngestion();
        });

    [Fact]
    public async Task A_storm_of_429s_5xx_timeouts_and_a_revoked_token_loses_and_doubles_no_play_and_quarantines_only_the_revoked_user()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await HarnessAsync(new() { ["Spotify:SyncCooldown"] = "00:00:00", ["Spotify:MaxRetries"] = "2" });
        var users = new Dictionary<string, long>();
        for (var i = 0; i < 50; i++)
        {
            // At most 45 each: like Spotify, a poll without a cursor sees only the latest 50 plays (older
            // ones come from an import). A user whose first poll fails in the storm is first read after
            // the 5 more plays below, so 45 + 5 must still fit in one page for "nothing lost" to hold.
            _emu.State.AddUser($"storm-{i}", $"Storm {i}", 20 + i % 26);
            users[$"storm-{i}"] = (await h.SignInAsync($"storm-{i}", ct)).Id;
        }

        _emu.State.RevokeRefreshTokens("storm-7");
        h.Get<MyiV3.Jobs.Spotify.ISpotifyTokenManager>().Forget(users["storm-7"]);
        _emu.State.Faults.Enqueue(Fault.RateLimit(3600), "storm-3", Endpoints.RecentlyPlayed);
        _emu.State.Faults.Random = new RandomFaultOptions
        {
            RateLimitProbability = 0.15, RetryAfterSeconds = 1, ServerErrorProbability = 0.2,
            TimeoutProbability = 0.03, TimeoutMilliseconds = 1200, Seed = 11,
        };
        var sync = h.Get<SpotifySyncService>();

        // Other tests of this class share the database: only this test's users are judged.
        var mine = users.Values.ToHashSet();
        var first = (await sync.SyncEligibleAsync(ct)).Where(o => mine.Contains(o.UserId)).ToList();
        Assert.Equal(50, first.Count);
        var storm3 = Assert.Single(first, o => o.UserId == users["storm-3"]);
        Assert.Equal(SyncStatus.RateLimited, storm3.Status);
        Assert.InRange(storm3.RetryAt!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));
        Assert.True(first.Count(o => o.Status == SyncStatus.Synced) >= 30, "healthy users keep syncing during the storm");

        // More listening while the storm goes on; then two more stormy rounds and calm ones.
        foreach (var id in users.Keys)
        {
            _emu.State.AppendPlays(id, 5);
        }

        await sync.SyncEligibleAsync(ct);
        await sync.SyncEligibleAsync(ct);
        _emu.State.Faults.Random = new RandomFaultOptions();
        await sync.SyncEligibleAsync(ct);
        var calm = (await sync.SyncEligibleAsync(ct)).Where(o => mine.Contains(o.UserId)).ToList();

        Assert.DoesNotContain(calm, o => o.UserId == users["storm-7"]);
        Assert.All(calm, o => Assert.Equal(SyncStatus.Synced, o.Status));
        var revoked = await h.AuthOfAsync(users["storm-7"]);
        Assert.False(revoked.IsValid);
        Assert.Equal(3, revoked.ConsecutiveFailures);
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1", users["storm-7"]));

        var rebuilder = h.Get<IStatsRebuilder>();
        foreach (var (emuId, userId) in users.Where(u => u.Key != "storm-7"))
        {
            var expected = _emu.State.FindUser(emuId)!.Plays.Select(p => $"{p.TrackId}@{p.PlayedAt.ToUnixTimeMilliseconds()}").Order().ToList();
            var stored = await StoredPlaysAsync(userId);
            Assert.True(expected.SequenceEqual(stored), $"{emuId}: missing {string.Join(", ", expected.Except(stored))}; extra {string.Join(", ", stored.Except(expected))}; counts {expected.Count}/{stored.Count}");
            Assert.Empty(await rebuilder.VerifyAsync(userId, ct));
        }

        Assert.Contains(_notifier.Events, e => e is StatsChanged s && s.UserId == users["storm-0"]);
        Assert.DoesNotContain(h.Logs.Lines, l => _emu.State.IssuedTokens("storm-1").Any(t => l.Contains(t, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_full_page_is_polled_again_until_120_plays_between_two_polls_have_all_arrived()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await HarnessAsync();
        _emu.State.AddUser("full-user", "Full", 10);
        var user = await h.SignInAsync("full-user", ct);
        var sync = h.Get<SpotifySyncService>();
        var first = await sync.SyncUserAsync(user.Id, ct);
        Assert.Equal((SyncStatus.Synced, 10, false), (first.Status, first.Inserted, first.FullPage));

        _emu.State.AppendPlays("full-user", 120);
        var polls = new List<SyncOutcome>();
        SyncOutcome outcome;
        do
        {
            outcome = await sync.SyncUserAsync(user.Id, ct);
            polls.Add(outcome);
        }
        while (outcome.FullPage && polls.Count < 10);

        Assert.Equal([50, 50, 20], polls.Select(p => p.Inserted));
        Assert.Equal([true, true, false], polls.Select(p => p.FullPage));
        var expected = _emu.State.FindUser("full-user")!.Plays.Select(p => $"{p.TrackId}@{p.PlayedAt.ToUnixTimeMilliseconds()}").Order().ToList();
        Assert.Equal(130, expected.Count);
        Assert.Equal(expected, await StoredPlaysAsync(user.Id));
    }

    [Fact]
    public async Task An_API_play_then_an_import_of_the_same_play_leaves_one_event_with_the_exact_ms_played()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await HarnessAsync();
        _emu.State.AddUser("import-user", "Import", 0);
        var (trackId, trackName, artist, duration) = _emu.State.TrackAt(17);
        var end = DateTimeOffset.UtcNow.AddMinutes(-30);
        _emu.State.AppendPlays("import-user", [new EmuPlay(trackId, end)]);
        var user = await h.SignInAsync("import-user", ct);
        Assert.Equal(1, (await h.Get<SpotifySyncService>().SyncUserAsync(user.Id, ct)).Inserted);
        Assert.Equal(duration, await fixture.Db.ScalarAsync<int>("SELECT ms_played FROM listening_events WHERE user_id = $1", user.Id));

        var exact = duration - 61_234;
        var result = await h.Get<IIngestionEngine>().IngestAsync(user.Id, PlaySource.Import,
            [new PlayRecord { PlayedAt = end, MsPlayed = exact, TrackSpotifyId = trackId, TrackName = trackName, Artists = [new ArtistRef(artist)] }], ct);
        Assert.Equal(1, result.Corrected);
        Assert.Equal(1L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1", user.Id));
        Assert.Equal(exact, await fixture.Db.ScalarAsync<int>("SELECT ms_played FROM listening_events WHERE user_id = $1 AND source = 'IMPORT'", user.Id));
        Assert.Equal((long)exact, await fixture.Db.ScalarAsync<long>("SELECT total_listening_ms FROM users WHERE id = $1", user.Id));
        Assert.Empty(await h.Get<IStatsRebuilder>().VerifyAsync(user.Id, ct));

        // The next poll finds nothing new after the last API play and doubles nothing.
        await h.Get<SpotifySyncService>().SyncUserAsync(user.Id, ct);
        Assert.Equal(1L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1", user.Id));
    }

    private async Task<List<string>> StoredPlaysAsync(long userId)
    {
        await using var cmd = fixture.Db.DataSource.CreateCommand(
            "SELECT t.spotify_id, e.played_at FROM listening_events e JOIN tracks t ON t.id = e.track_id WHERE e.user_id = $1");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = userId });
        var list = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            list.Add($"{r.GetString(0)}@{r.GetFieldValue<DateTimeOffset>(1).ToUnixTimeMilliseconds()}");
        }

        return [.. list.Order()];
    }
}
