using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MyiV3.Data;
using MyiV3.Data.Entities;
using Npgsql;

namespace MyiV3.Jobs.Spotify;

/// <summary>
/// Completes a Spotify sign-in: the profile from /v1/me creates or updates the user row, the
/// refresh token is stored encrypted (credentials valid again), and a settings row exists.
/// </summary>
public sealed partial class SpotifyAccountLinker(
    IDbContextFactory<MyiDbContext> dbFactory,
    SpotifyApiClient api,
    TokenCipher cipher,
    ISpotifyTokenManager tokenManager,
    TimeProvider time,
    ILogger<SpotifyAccountLinker> logger)
{
    public async Task<User> LinkAsync(SpotifyTokenResponse token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (string.IsNullOrEmpty(token.RefreshToken))
        {
            throw new SpotifyException(SpotifyErrorKind.BadRequest, "Spotify returned no refresh token");
        }

        var me = await api.GetMeAsync(token.AccessToken, ct);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var user = await UpsertAsync(me, token, ct);
                tokenManager.Remember(user.Id, token.AccessToken, time.GetUtcNow().AddSeconds(token.ExpiresIn));
                LogLinked(logger, user.Id);
                return user;
            }
            catch (DbUpdateException ex) when (attempt == 0 && ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Two sign-ins of the same new account at once: the other one created the row; update it.
            }
        }
    }

    private async Task<User> UpsertAsync(SpotifyUser me, SpotifyTokenResponse token, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.Include(u => u.SpotifyAuth).Include(u => u.Settings)
            .SingleOrDefaultAsync(u => u.SpotifyId == me.Id, ct);
        if (user is null)
        {
            user = new User { SpotifyId = me.Id, DisplayName = me.DisplayName ?? me.Id, CreatedAt = now };
            db.Users.Add(user);
        }

        user.DisplayName = string.IsNullOrWhiteSpace(me.DisplayName) ? me.Id : me.DisplayName;
        user.Email = me.Email;
        user.Country = me.Country is { Length: 2 } c ? c : null;
        user.AvatarUrl = me.Images?.OrderByDescending(i => i.Width ?? 0).FirstOrDefault()?.Url;
        user.LastLoginAt = now;
        user.UpdatedAt = now;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The user id is the cipher's associated data: a new user needs its id before encryption.
        await db.SaveChangesAsync(ct);
        var (blob, version) = cipher.Encrypt(user.Id, token.RefreshToken!);
        user.SpotifyAuth ??= new SpotifyAuth { EncryptedRefreshToken = blob, Scopes = "", CreatedAt = now };
        var auth = user.SpotifyAuth;
        auth.EncryptedRefreshToken = blob;
        auth.KeyVersion = version;
        auth.Scopes = token.Scope ?? "";
        auth.AccessTokenExpiresAt = now.AddSeconds(token.ExpiresIn);
        auth.IsValid = true;
        auth.ConsecutiveFailures = 0;
        auth.LastRefreshedAt = now;
        auth.UpdatedAt = now;
        user.Settings ??= new UserSettings { UpdatedAt = now };
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return user;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Spotify account linked to user {UserId}")]
    private static partial void LogLinked(ILogger logger, long userId);
}
