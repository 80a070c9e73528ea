using System.Globalization;
using Microsoft.Playwright;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.E2E;

public sealed class DemoTests(DemoAppFixture app, BrowserFixture browser) : IClassFixture<DemoAppFixture>
{
    [Fact]
    public async Task Try_the_demo_signs_in_the_demo_user_whose_history_came_through_the_import_path()
    {
        var b = await browser.GetBrowserAsync();
        await using var context = await b.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUri.ToString());
        await E2E.WaitForCircuitAsync(page);
        await page.ClickAsync("#try-demo");
        // The sign-in ends on the same address the page started from, so waiting for that address can return
        // before the navigation does: wait for what the person sees instead (the locator follows the new page).
        await Assertions.Expect(page.Locator("#signed-in-as")).ToHaveTextAsync("Demo listener", new() { Timeout = 30_000 });
        Assert.Equal(app.BaseUri.ToString(), page.Url);
        await E2E.WaitForCircuitAsync(page);

        // The seeder imported the generated ZIP as a real import job of the demo user.
        var demo = await app.Db.ScalarAsync<long>("SELECT id FROM users WHERE spotify_id = 'demo' AND is_demo");
        var jobId = await app.Db.ScalarAsync<long>("SELECT id FROM import_jobs WHERE user_id = $1 AND file_name = 'demo_my_spotify_data.zip'", demo);
        await E2E.WaitForJobAsync(app, jobId, TimeSpan.FromSeconds(120));
        var plays = await app.Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", demo);
        Assert.Equal(3000, plays);

        // Whether the page opened before or after the import finished, it ends at the full total without a reload.
        await page.WaitForFunctionAsync(
            $"() => document.querySelector(\"[data-stat='plays']\")?.innerText === '{plays.ToString("N0", CultureInfo.InvariantCulture)}'",
            null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        await page.WaitForSelectorAsync("[data-chart='activity'] svg");

        // The import page works for the demo user too: it lists the demo import.
        await page.GotoAsync(new Uri(app.BaseUri, "import").ToString());
        await page.WaitForSelectorAsync("[data-job][data-status='COMPLETED']");

        // Everyone who tries the demo shares it: no visitor may delete it for the others.
        await page.GotoAsync(new Uri(app.BaseUri, "account/data").ToString());
        await Assertions.Expect(page.Locator("#demo-not-deletable")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#delete-account").CountAsync());
    }

    [Fact]
    public async Task The_sign_in_page_offers_the_demo_where_spotify_is_not_configured()
    {
        var b = await browser.GetBrowserAsync();
        await using var context = await b.NewContextAsync();
        var page = await context.NewPageAsync();
        // Where a signed-out link (an export, a library page) leads.
        await page.GotoAsync(new Uri(app.BaseUri, "signin").ToString());
        await E2E.WaitForCircuitAsync(page);
        await page.ClickAsync("#signin-try-demo");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToHaveTextAsync("Demo listener", new() { Timeout = 30_000 });
    }
}
