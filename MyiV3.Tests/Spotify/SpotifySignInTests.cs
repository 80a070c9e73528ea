using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MyiV3.Jobs.Sync;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Spotify;

public sealed class SpotifySignInTests(SpotifyAppFixture app, BrowserFixture browser) : IClassFixture<SpotifyAppFixture>
{
    [Fact]
    public async Task A_person_signs_in_through_the_emulator_lands_on_the_dashboard_gets_synced_plays_and_signs_out()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(app.BaseUri, "signin").ToString());
        await E2E.E2E.WaitForCircuitAsync(page);
        await page.ClickAsync("#spotify-signin");
        // Polls the address instead of awaiting one navigation event: the way out goes through redirects.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(app.Emulator.BaseUrl)));
        await page.GetByText("Sign in as Test User 1").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(app.BaseUri.ToString());
        await page.WaitForSelectorAsync(".mud-layout");
        Assert.False(await page.IsVisibleAsync("#blazor-error-ui"));
        var cookies = await context.CookiesAsync([app.BaseUri.ToString()]);
        Assert.Contains(cookies, c => c.Name == "myi.session" && c.HttpOnly);
        Assert.DoesNotContain(cookies, c => c.Name == "myi.spotify.oauth");

        var userId = await app.Db.ScalarAsync<long>("SELECT id FROM users WHERE spotify_id = 'emu-user-1'");
        Assert.True(await app.Db.ScalarAsync<bool>("SELECT is_valid FROM spotify_auth WHERE user_id = $1", userId));
        Assert.Equal(1L, await app.Db.ScalarAsync<long>("SELECT count(*) FROM user_settings WHERE user_id = $1", userId));

        // The user is eligible at once; the sync brings the 25 plays the emulator generated.
        var sync = app.App.Services.GetRequiredService<SpotifySyncService>();
        Assert.Contains(userId, await sync.EligibleUsersAsync(ct));
        var outcome = await sync.SyncUserAsync(userId, ct);
        Assert.Equal(SyncStatus.Synced, outcome.Status);
        Assert.Equal(25L, await app.Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", userId));
        Assert.DoesNotContain(userId, await sync.EligibleUsersAsync(ct));

        // Sign out: the logout endpoint drops the session cookie.
        var status = await page.EvaluateAsync<int>("async () => (await fetch('/account/logout', { method: 'POST', redirect: 'manual' })).status");
        Assert.True(status is 0 or 302, $"logout answered {status}");
        Assert.DoesNotContain(await context.CookiesAsync([app.BaseUri.ToString()]), c => c.Name == "myi.session");
    }

    [Fact]
    public async Task A_callback_with_a_forged_state_signs_nobody_in()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseUri, "account/callback?code=abc&state=forged").ToString());
        await page.WaitForURLAsync(url => url.Contains("/signin?error=state", StringComparison.Ordinal));
        Assert.DoesNotContain(await context.CookiesAsync([app.BaseUri.ToString()]), c => c.Name == "myi.session");
    }
}
