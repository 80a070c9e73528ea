using Microsoft.EntityFrameworkCore;
using MyiV3.Data;
using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using Npgsql;

namespace MyiV3.Web.Features.Account;

/// <summary>Reads and writes one user's settings row (created with defaults when missing).</summary>
public sealed class UserSettingsStore(IDbContextFactory<MyiDbContext> factory, IStatsRebuilder rebuilder, TimeProvider time)
{
    public async Task<UserSettings> GetAsync(long userId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.UserSettings.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == userId, ct)
            ?? new UserSettings { UserId = userId };
    }

    public async Task<string?> DisplayNameAsync(long userId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
    }

    /// <summary>The Spotify id, which is also the address of the user's public profile (<c>/u/&lt;id&gt;</c>).</summary>
    public async Task<string?> SpotifyIdAsync(long userId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.SpotifyId).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Saves the settings. When the statistics depend on what changed (the time zone, or whether plays in a private
    /// session count), they are recomputed from the plays in the same transaction: the new setting and the
    /// statistics it implies land together, or neither does (a closed tab, a crash), never one without the other.
    /// </summary>
    /// <returns>Whether the statistics were recomputed.</returns>
    public async Task<bool> SaveAsync(long userId, UserSettings values, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(values);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = await db.UserSettings.FirstOrDefaultAsync(s => s.UserId == userId, ct);
        if (row is null)
        {
            row = new UserSettings { UserId = userId };
            db.UserSettings.Add(row);
        }

        var statsChanged = !string.Equals(row.TimeZone, values.TimeZone, StringComparison.Ordinal)
            || row.ExcludeIncognitoPlays != values.ExcludeIncognitoPlays;
        row.TimeZone = values.TimeZone;
        row.IsProfilePublic = values.IsProfilePublic;
        row.ShowRecentPlays = values.ShowRecentPlays;
        row.ExcludeIncognitoPlays = values.ExcludeIncognitoPlays;
        row.Theme = values.Theme;
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        if (statsChanged)
        {
            await rebuilder.RecomputeInTransactionAsync((NpgsqlConnection)db.Database.GetDbConnection(), userId, ct);
        }

        await tx.CommitAsync(ct);
        if (statsChanged)
        {
            rebuilder.Announce(userId);
        }

        return statsChanged;
    }

    public async Task SaveThemeAsync(long userId, string theme, CancellationToken ct)
    {
        var settings = await GetAsync(userId, ct);
        settings.Theme = theme;
        await SaveAsync(userId, settings, ct);
    }
}
