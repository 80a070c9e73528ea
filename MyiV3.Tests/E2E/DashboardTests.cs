using Microsoft.Playwright;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.E2E;

public sealed class DashboardTests(AppFixture app, BrowserFixture browser) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_seeded_users_dashboard_shows_totals_charts_and_top_lists_and_links_to_a_track_page()
    {
        var user = await E2E.UserWithHistoryAsync(app, plays: 6000, years: 2, seed: 11);
        var plays = await app.Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1800 } });
        var page = await E2E.SignedInPageAsync(context, app, user);

        await page.WaitForSelectorAsync("[data-stat='plays']");
        Assert.Equal(plays, await E2E.StatAsync(page, "plays"));
        await page.WaitForSelectorAsync("[data-chart='activity'] svg");
        await page.WaitForSelectorAsync("[data-chart='heatmap'] svg");
        await page.WaitForSelectorAsync("[data-chart='hours'] svg");
        Assert.Equal(plays.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await page.GetAttributeAsync("[data-chart='activity']", "data-total"));
        // Each section renders when its own query returns: wait for the fifth row, do not count at once.
        await page.WaitForSelectorAsync("[data-list='track'] li:nth-child(5)");
        await page.WaitForSelectorAsync("[data-list='latest'] li:nth-child(5)");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-list='spotify-top']")).ToContainTextAsync("Not synced yet");

        if (E2E.ScreenshotsWanted)
        {
            await page.WaitForTimeoutAsync(500);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2E.ScreenshotDirectory(), "dashboard-light.png"), FullPage = true });
            await page.GetByLabel("Toggle dark mode").ClickAsync();
            await page.WaitForTimeoutAsync(500);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2E.ScreenshotDirectory(), "dashboard-dark.png"), FullPage = true });
            await page.SetViewportSizeAsync(390, 844);
            await page.WaitForTimeoutAsync(500);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2E.ScreenshotDirectory(), "dashboard-phone.png"), FullPage = false });
            await page.SetViewportSizeAsync(1440, 1800);
        }

        var first = page.Locator("[data-list='track'] li a.myi-toplist__name").First;
        var name = await first.InnerTextAsync();
        await first.ClickAsync();
        await page.WaitForURLAsync("**/track/*");
        await page.WaitForSelectorAsync("#item-name");
        Assert.Equal(name, await page.Locator("#item-name").InnerTextAsync());
        await page.WaitForSelectorAsync("[data-chart='months'] svg");
        Assert.True(await E2E.StatAsync(page, "plays") > 0);
        // The chart fills its card's width, not a fixed-ratio box centred in it.
        await page.WaitForFunctionAsync("""
            () => { const c = document.querySelector("[data-chart='months']");
                    const drawn = [...c.querySelectorAll('svg *')].map(e => e.getBoundingClientRect()).filter(r => r.width > 0);
                    const width = Math.max(...drawn.map(r => r.right)) - Math.min(...drawn.map(r => r.left));
                    return width >= 0.8 * c.getBoundingClientRect().width; }
            """, null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        if (E2E.ScreenshotsWanted)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2E.ScreenshotDirectory(), "track-dark.png"), FullPage = true });
        }
    }
}
