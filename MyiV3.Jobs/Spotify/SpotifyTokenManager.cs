using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MyiV3.Data;

namespace MyiV3.Jobs.Spotify;

public interface ISpotifyTokenManager
{
    /// <summary>A usable access token, refreshed when it expires within 10 minutes.</summary>
    ValueTask<string> GetAccessTokenAsync(long userId, CancellationToken ct);

    /// <summary>Keeps an access token obtained at sign-in, so the first sync needs no refresh.</summary>
    void Remember(long userId, string accessToken, DateTimeOffset expiresAt);

    /// <summary>Drops the cached access token (it was refused).</summary>
    void Forget(long userId);

    /// <summary>One more consecutive auth failure; the third quarantines the credentials.</summary>
    Task RecordAuthFailureAsync(long userId, CancellationToken ct);
}

/// <summary>
/// Access tokens live only in memory. Refresh tokens are read from and written to
/// spotify_auth encrypted; a rotated refresh token replaces the stored one at once.
/// </summary>
public sealed partial class SpotifyTokenManager(
    IDbContextFactory<MyiDbContext> dbFactory,
    IHttpClientFactory httpFactory,
    IOptions<SpotifyOptions> options,
    TokenCipher cipher,
    TimeProvider time,
    ILogger<SpotifyTokenManager> logger) : ISpotifyTokenManager
{
    public static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(10);
    public const int QuarantineAfterFailures = 3;

    private readonly ConcurrentDictionary<long, CachedToken> _cache = new();
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _locks = new();

    public async ValueTask<string> GetAccessTokenAsync(long userId, CancellationToken ct)
    {
        if (TryCached(userId) is { } token)
        {
            return token;
        }

        var gate = _locks.GetOrAdd(userId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            // Another caller may have refreshed while this one waited; never refresh twice (rotation).
            return TryCached(userId) ?? await RefreshAsync(userId, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Remember(long userId, string accessToken, DateTimeOffset expiresAt) =>
        _cache[userId] = new CachedToken(accessToken, expiresAt);

    public void Forget(long userId) => _cache.TryRemove(userId, out _);

    public async Task RecordAuthFailureAsync(long userId, CancellationToken ct)
    {
        Forget(userId);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.SpotifyAuth.Where(a => a.UserId == userId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.ConsecutiveFailures, a => a.ConsecutiveFailures + 1)
            .SetProperty(a => a.IsValid, a => a.IsValid && a.ConsecutiveFailures + 1 < QuarantineAfterFailures)
            .SetProperty(a => a.UpdatedAt, now), ct);
        var auth = await db.SpotifyAuth.AsNoTracking().Where(a => a.UserId == userId)
            .Select(a => new { a.ConsecutiveFailures, a.IsValid }).SingleOrDefaultAsync(ct);
        if (auth is { IsValid: false })
        {
            LogQuarantined(logger, userId, auth.ConsecutiveFailures);
        }
        else
        {
            LogAuthFailure(logger, userId, auth?.ConsecutiveFailures ?? 0);
        }
    }

    private async Task QuarantineAsync(long userId, CancellationToken ct)
    {
        Forget(userId);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.SpotifyAuth.Where(a => a.UserId == userId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.IsValid, false)
            .SetProperty(a => a.UpdatedAt, now), ct);
    }

    private string? TryCached(long userId) =>
        _cache.TryGetValue(userId, out var c) && c.ExpiresAt - RefreshAhead > time.GetUtcNow() ? c.AccessToken : null;

    private async Task<string> RefreshAsync(long userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var auth = await db.SpotifyAuth.SingleOrDefaultAsync(a => a.UserId == userId, ct)
            ?? throw new SpotifyException(SpotifyErrorKind.CredentialsInvalid, $"User {userId} has no Spotify credentials");
        if (!auth.IsValid)
        {
            throw new SpotifyException(SpotifyErrorKind.CredentialsInvalid, $"User {userId} must reconnect Spotify");
        }

        string refreshToken;
        try
        {
            refreshToken = cipher.Decrypt(userId, auth.EncryptedRefreshToken, auth.KeyVersion);
        }
        catch (CryptographicException ex)
        {
            // The token key was replaced or lost: no retry can help, only a new sign-in.
            await QuarantineAsync(userId, ct);
            LogUndecryptable(logger, userId, auth.KeyVersion, ex.Message);
            throw new SpotifyException(SpotifyErrorKind.CredentialsInvalid,
                $"User {userId}'s stored Spotify token cannot be decrypted with the configured token key (version {auth.KeyVersion}); the user must sign in again");
        }

        SpotifyTokenResponse response;
        try
        {
            // A fresh typed client per refresh: a singleton must not hold one HttpClient's handler forever.
            var accounts = new SpotifyAccountsClient(httpFactory.CreateClient(nameof(SpotifyAccountsClient)), options, time);
            response = await accounts.RefreshAsync(refreshToken, ct);
        }
        catch (SpotifyException ex) when (ex.IsAuthFailure)
        {
            await RecordAuthFailureAsync(userId, ct);
            throw;
        }

        var now = time.GetUtcNow();
        var expiresAt = now.AddSeconds(response.ExpiresIn);
        if (!string.IsNullOrEmpty(response.RefreshToken) && response.RefreshToken != refreshToken)
        {
            (auth.EncryptedRefreshToken, auth.KeyVersion) = cipher.Encrypt(userId, response.RefreshToken);
            LogRotated(logger, userId);
        }
        else if (auth.KeyVersion != cipher.CurrentVersion)
        {
            // Re-encrypt under the newest key as tokens are used, so old keys can be retired.
            (auth.EncryptedRefreshToken, auth.KeyVersion) = cipher.Encrypt(userId, refreshToken);
        }

        auth.AccessTokenExpiresAt = expiresAt;
        auth.LastRefreshedAt = now;
        auth.ConsecutiveFailures = 0;
        auth.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        _cache[userId] = new CachedToken(response.AccessToken, expiresAt);
        LogRefreshed(logger, userId, expiresAt);
        return response.AccessToken;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The stored Spotify token of user {UserId} does not decrypt with token key version {KeyVersion} ({Reason}); credentials quarantined until the user signs in again")]
    private static partial void LogUndecryptable(ILogger logger, long userId, int keyVersion, string reason);

    private sealed record CachedToken(string AccessToken, DateTimeOffset ExpiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refreshed the Spotify access token of user {UserId}; it expires at {ExpiresAt}")]
    private static partial void LogRefreshed(ILogger logger, long userId, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Spotify rotated the refresh token of user {UserId}; the new one is stored")]
    private static partial void LogRotated(ILogger logger, long userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spotify auth failure for user {UserId} ({Failures} in a row)")]
    private static partial void LogAuthFailure(ILogger logger, long userId, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spotify credentials of user {UserId} quarantined after {Failures} consecutive auth failures")]
    private static partial void LogQuarantined(ILogger logger, long userId, int failures);
}
