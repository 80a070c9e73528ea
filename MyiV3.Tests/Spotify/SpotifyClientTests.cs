using System.Diagnostics;
using MyiV3.Jobs.Spotify;
using MyiV3.SpotifyEmulator;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Spotify;

public sealed class SpotifyClientTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private EmulatorHost _emu = null!;

    public async ValueTask InitializeAsync() => _emu = await EmulatorHost.StartAsync(new Dictionary<string, string?> { ["Emulator:InitialUsers"] = "0" });

    public async ValueTask DisposeAsync() => await _emu.DisposeAsync();

    [Fact]
    public async Task Server_errors_and_timeouts_are_retried_and_a_short_Retry_After_is_waited_out()
    {
        var ct = TestContext.Current.CancellationToken;
        // Exactly one attempt in five may time out: give the others room on a busy machine (CI runs tests in parallel).
        await using var h = await SpotifyHarness.CreateAsync(fixture.Db, _emu,
            new Dictionary<string, string?> { ["Spotify:MaxRetries"] = "4", ["Spotify:AttemptTimeout"] = "00:00:03" });
        _emu.State.AddUser("retry-user", "Retry", 20);
        var user = await h.SignInAsync("retry-user", ct);
        var api = h.Get<SpotifyApiClient>();
        _emu.State.Faults.Enqueue(Fault.Status(503), "retry-user", Endpoints.RecentlyPlayed);
        _emu.State.Faults.Enqueue(Fault.Timeout(TimeSpan.FromSeconds(8)), "retry-user", Endpoints.RecentlyPlayed);
        _emu.State.Faults.Enqueue(Fault.RateLimit(1), "retry-user", Endpoints.RecentlyPlayed);
        _emu.State.Faults.Enqueue(Fault.Status(502), "retry-user", Endpoints.RecentlyPlayed);
        var page = await api.GetRecentlyPlayedAsync(user.Id, null, 50, ct);
        Assert.Equal(20, page.Items.Count);
        Assert.Equal(5, _emu.State.Requests.Count(r => r.UserId == "retry-user" && r.Endpoint == Endpoints.RecentlyPlayed));
    }

    [Fact]
    public async Task A_long_Retry_After_is_handed_back_for_that_user_only()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await SpotifyHarness.CreateAsync(fixture.Db, _emu);
        _emu.State.AddUser("slow-user", "Slow", 5);
        _emu.State.AddUser("fine-user", "Fine", 5);
        var slow = await h.SignInAsync("slow-user", ct);
        var fine = await h.SignInAsync("fine-user", ct);
        _emu.State.Faults.Enqueue(Fault.RateLimit(3 * 3600), "slow-user");
        var api = h.Get<SpotifyApiClient>();
        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<SpotifyException>(() => api.GetRecentlyPlayedAsync(slow.Id, null, 50, ct));
        Assert.Equal(SpotifyErrorKind.RateLimited, ex.Kind);
        Assert.True(ex.IsRetryable);
        Assert.InRange(ex.RetryAt!.Value - DateTimeOffset.UtcNow, TimeSpan.FromHours(2.9), TimeSpan.FromHours(3.1));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(5, (await api.GetRecentlyPlayedAsync(fine.Id, null, 50, ct)).Items.Count);
    }

    [Fact]
    public async Task Missing_genres_and_popularity_are_unknown_and_403_is_terminal()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await SpotifyHarness.CreateAsync(fixture.Db, _emu);
        _emu.State.AddUser("meta-user", "Meta", 5);
        var user = await h.SignInAsync("meta-user", ct);
        var api = h.Get<SpotifyApiClient>();
        var top = await api.GetTopArtistsAsync(user.Id, SpotifyTerm.LongTerm, ct);
        Assert.Equal(50, top.Items.Count);
        var artist = await api.GetArtistAsync(user.Id, top.Items[0].Id, ct);
        Assert.NotNull(artist);
        Assert.Null(artist.Genres);
        Assert.Null(artist.Popularity);
        Assert.NotEmpty(artist.Images!);
        Assert.Null(await api.GetTrackAsync(user.Id, "0000000000000000000000", ct));

        _emu.State.Faults.Enqueue(Fault.Status(403), "meta-user");
        var ex = await Assert.ThrowsAsync<SpotifyException>(() => api.GetTrackAsync(user.Id, top.Items[0].Id, ct));
        Assert.False(ex.IsRetryable);
        Assert.Equal(SpotifyErrorKind.Forbidden, ex.Kind);
    }

    [Fact]
    public async Task The_global_limiter_lets_no_more_than_the_limit_through_in_a_minute()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await SpotifyHarness.CreateAsync(fixture.Db, _emu, new Dictionary<string, string?> { ["Spotify:RequestsPerMinute"] = "6" });
        _emu.State.AddUser("limit-user", "Limit", 5);
        var user = await h.SignInAsync("limit-user", ct);
        var api = h.Get<SpotifyApiClient>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var calls = Enumerable.Range(0, 9).Select(_ => api.GetRecentlyPlayedAsync(user.Id, null, 10, cts.Token)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        // Sign-in's /v1/me took one of the six permits of this minute.
        Assert.Equal(5, calls.Count(c => c.IsCompletedSuccessfully));
        Assert.Equal(6, _emu.State.Requests.Count(r => r.UserId == "limit-user" && r.Endpoint != Endpoints.Token));
        await cts.CancelAsync();
        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
    }
}
