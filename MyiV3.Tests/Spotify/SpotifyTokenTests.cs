using System.Text;
using Microsoft.Extensions.Time.Testing;
using MyiV3.Jobs.Spotify;
using MyiV3.SpotifyEmulator;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Spotify;

public sealed class SpotifyTokenTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private EmulatorHost _emu = null!;

    public async ValueTask InitializeAsync() => _emu = await EmulatorHost.StartAsync(new Dictionary<string, string?>
    {
        ["Emulator:InitialUsers"] = "0",
        ["Emulator:RotateRefreshTokenEvery"] = "1",
    });

    public async ValueTask DisposeAsync() => await _emu.DisposeAsync();

    [Fact]
    public async Task Refresh_tokens_are_stored_encrypted_and_never_reach_the_database_or_logs_in_plaintext()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await SpotifyHarness.CreateAsync(fixture.Db, _emu);
        _emu.State.AddUser("enc-user", "Enc", 10);
        var user = await h.SignInAsync("enc-user", ct);
        var tokens = h.Get<ISpotifyTokenManager>();
        tokens.Forget(user.Id);
        await h.Get<SpotifyApiClient>().GetRecentlyPlayedAsync(user.Id, null, 50, ct);

        var auth = await h.AuthOfAsync(user.Id);
        var issued = _emu.State.IssuedTokens("enc-user");
        Assert.True(issued.Count >= 3);
        var cipher = h.Get<TokenCipher>();
        var live = cipher.Decrypt(user.Id, auth.EncryptedRefreshToken, auth.KeyVersion);
        Assert.Contains(live, issued);
        Assert.Equal(12 + Encoding.UTF8.GetByteCount(live) + 16, auth.EncryptedRefreshToken.Length);
        Assert.Equal(1, auth.KeyVersion);
        foreach (var token in issued)
        {
            Assert.False(auth.EncryptedRefreshToken.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token)) >= 0);
            Assert.Equal(0L, await fixture.Db.ScalarAsync<long>(
                "SELECT count(*) FROM spotify_auth a JOIN users u ON u.id = a.user_id WHERE position(convert_to($1, 'UTF8') IN a.encrypted_refresh_token) > 0 OR a.scopes LIKE '%' || $1 || '%' OR u.display_name || coalesce(u.email, '') || coalesce(u.avatar_url, '') LIKE '%' || $1 || '%'", token));
            Assert.DoesNotContain(token, h.Logs.All, StringComparison.Ordinal);
        }

        Assert.Contains(h.Logs.Lines, l => l.Contains("Refreshed the Spotify access token", StringComparison.Ordinal));
        // The same blob under another user's id does not decrypt: the user id is authenticated.
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => cipher.Decrypt(user.Id + 1, auth.EncryptedRefreshToken, auth.KeyVersion));
    }

    [Fact]
    public async Task Access_token_is_refreshed_ten_minutes_before_expiry_and_the_rotated_refresh_token_is_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await SpotifyHarness.CreateAsync(fixture.Db, _emu, time: clock);
        _emu.State.AddUser("clock-user", "Clock", 5);
        var user = await h.SignInAsync("clock-user", ct);
        var before = await h.AuthOfAsync(user.Id);
        var tokens = h.Get<ISpotifyTokenManager>();
        var requests = h.TokenRequests("clock-user");

        var first = await tokens.GetAccessTokenAsync(user.Id, ct);
        clock.Advance(TimeSpan.FromMinutes(49)); // 11 minutes left: still good
        Assert.Equal(first, await tokens.GetAccessTokenAsync(user.Id, ct));
        Assert.Equal(requests, h.TokenRequests("clock-user"));

        clock.Advance(TimeSpan.FromMinutes(2)); // 9 minutes left: refresh now
        var second = await tokens.GetAccessTokenAsync(user.Id, ct);
        Assert.NotEqual(first, second);
        Assert.Equal(requests + 1, h.TokenRequests("clock-user"));

        var after = await h.AuthOfAsync(user.Id);
        Assert.NotEqual(before.EncryptedRefreshToken, after.EncryptedRefreshToken);
        var stored = h.Get<TokenCipher>().Decrypt(user.Id, after.EncryptedRefreshToken, after.KeyVersion);
        Assert.Equal(1, _emu.State.LiveRefreshTokens("clock-user"));
        Assert.Contains(stored, _emu.State.IssuedTokens("clock-user"));
        Assert.Equal(clock.GetUtcNow().AddHours(1), after.AccessTokenExpiresAt!.Value, TimeSpan.FromSeconds(1));

        // The stored, rotated token works for the next refresh (the old one would be invalid_grant).
        tokens.Forget(user.Id);
        Assert.NotEqual(second, await tokens.GetAccessTokenAsync(user.Id, ct));
        Assert.Equal(0, (await h.AuthOfAsync(user.Id)).ConsecutiveFailures);
    }

    [Fact]
    public async Task A_rate_limited_refresh_is_handed_back_with_when_to_retry_and_does_not_count_against_the_credentials()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await SpotifyHarness.CreateAsync(fixture.Db, _emu, time: clock);
        _emu.State.AddUser("busy-token-user", "Busy", 5);
        var user = await h.SignInAsync("busy-token-user", ct);
        var tokens = h.Get<ISpotifyTokenManager>();
        clock.Advance(TimeSpan.FromMinutes(55)); // the access token needs a refresh
        _emu.State.Faults.Enqueue(Fault.RateLimit(3 * 3600), "busy-token-user", Endpoints.Token);

        var ex = await Assert.ThrowsAsync<SpotifyException>(async () => await tokens.GetAccessTokenAsync(user.Id, ct));

        Assert.Equal(SpotifyErrorKind.RateLimited, ex.Kind);
        // Measured on the app's clock, as everything the scheduler compares it with.
        Assert.InRange(ex.RetryAt!.Value - clock.GetUtcNow(), TimeSpan.FromHours(2.9), TimeSpan.FromHours(3.1));
        var auth = await h.AuthOfAsync(user.Id);
        Assert.True(auth.IsValid);
        Assert.Equal(0, auth.ConsecutiveFailures);
    }

    [Fact]
    public async Task Three_consecutive_auth_failures_quarantine_the_credentials_and_a_new_sign_in_restores_them()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await SpotifyHarness.CreateAsync(fixture.Db, _emu);
        _emu.State.AddUser("revoked-user", "Revoked", 5);
        var user = await h.SignInAsync("revoked-user", ct);
        var tokens = h.Get<ISpotifyTokenManager>();
        _emu.State.RevokeRefreshTokens("revoked-user");

        for (var i = 1; i <= 3; i++)
        {
            tokens.Forget(user.Id);
            var ex = await Assert.ThrowsAsync<SpotifyException>(async () => await tokens.GetAccessTokenAsync(user.Id, ct));
            Assert.Equal(SpotifyErrorKind.InvalidGrant, ex.Kind);
            var auth = await h.AuthOfAsync(user.Id);
            Assert.Equal(i, auth.ConsecutiveFailures);
            Assert.Equal(i < 3, auth.IsValid);
        }

        var requests = h.TokenRequests("revoked-user");
        var quarantined = await Assert.ThrowsAsync<SpotifyException>(async () => await tokens.GetAccessTokenAsync(user.Id, ct));
        Assert.Equal(SpotifyErrorKind.CredentialsInvalid, quarantined.Kind);
        Assert.Equal(requests, h.TokenRequests("revoked-user"));

        await h.SignInAsync("revoked-user", ct);
        var restored = await h.AuthOfAsync(user.Id);
        Assert.True(restored.IsValid);
        Assert.Equal(0, restored.ConsecutiveFailures);
    }

    [Fact]
    public void The_default_key_file_is_created_once_owner_only_and_reused()
    {
        var dir = Path.Combine(Path.GetTempPath(), "myi-key-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(dir, "spotify-token-key.v1");
            var a = TokenCipher.FromOptions(new SpotifyOptions(), path);
            Assert.True(File.Exists(path));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            var (blob, version) = a.Encrypt(7, "a-refresh-token");
            var b = TokenCipher.FromOptions(new SpotifyOptions(), path);
            Assert.Equal("a-refresh-token", b.Decrypt(7, blob, version));
            var (blob2, _) = b.Encrypt(7, "a-refresh-token");
            Assert.NotEqual(blob, blob2); // random nonce
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
