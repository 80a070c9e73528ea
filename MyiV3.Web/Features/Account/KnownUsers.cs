using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using MyiV3.Data;

namespace MyiV3.Web.Features.Account;

/// <summary>
/// Ends a session whose account no longer exists (deleted from another browser, or by the operator): a
/// session cookie stays valid on its own for 30 days, and its pages would show an empty account and fail
/// every upload. An account seen to exist is not asked about again for a minute, so static files and
/// circuits do not each cost a query.
/// </summary>
public sealed class KnownUsers(IDbContextFactory<MyiDbContext> factory, TimeProvider time)
{
    private static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<long, DateTimeOffset> _seen = new();

    /// <summary>After a deletion in this process: the account's other sessions end with their next request.</summary>
    public void Forget(long userId) => _seen.TryRemove(userId, out _);

    public async Task<bool> ExistsAsync(long userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_seen.TryGetValue(userId, out var until) && until > now)
        {
            return true;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Users.AsNoTracking().AnyAsync(u => u.Id == userId, ct))
        {
            _seen.TryRemove(userId, out _);
            return false;
        }

        _seen[userId] = now + Recheck;
        return true;
    }

    /// <summary>The session cookie's check: a principal whose account is gone is signed out.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (AccountSession.UserId(context.Principal) is not { } id)
        {
            return;
        }

        var users = context.HttpContext.RequestServices.GetRequiredService<KnownUsers>();
        if (!await users.ExistsAsync(id, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AccountSession.Scheme);
        }
    }
}
