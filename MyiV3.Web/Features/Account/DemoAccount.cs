using Microsoft.EntityFrameworkCore;
using MyiV3.Data;
using MyiV3.Data.Entities;

namespace MyiV3.Web.Features.Account;

/// <summary>
/// The demo listener offered when no Spotify client is configured (or when Demo:Enabled is set):
/// one shared user, spotify_id "demo".
/// </summary>
public sealed class DemoAccount(IDbContextFactory<MyiDbContext> factory, IConfiguration configuration, TimeProvider time)
{
    public const string SpotifyId = "demo";

    public bool IsEnabled =>
        string.IsNullOrWhiteSpace(configuration["Spotify:ClientId"]) || configuration.GetValue<bool>("Demo:Enabled");

    /// <summary>The demo user, created with default settings on first use.</summary>
    public async Task<User> EnsureAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.SpotifyId == SpotifyId, ct);
        if (user is null)
        {
            user = new User { SpotifyId = SpotifyId, DisplayName = "Demo listener", IsDemo = true, Country = "DE" };
            user.Settings = new UserSettings { TimeZone = "Europe/Berlin", ShowRecentPlays = true, UpdatedAt = time.GetUtcNow() };
            db.Users.Add(user);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another request created it at the same moment: use theirs.
                await using var again = await factory.CreateDbContextAsync(ct);
                return await again.Users.AsNoTracking().FirstAsync(u => u.SpotifyId == SpotifyId, ct);
            }
        }

        return user;
    }
}
