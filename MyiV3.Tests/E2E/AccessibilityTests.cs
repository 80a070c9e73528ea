using Microsoft.Playwright;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.E2E;

/// <summary>What a person with low vision or without a mouse relies on: readable contrast and a visible focus.</summary>
public sealed class AccessibilityTests(AppFixture app, BrowserFixture browser) : IClassFixture<AppFixture>
{
    private static readonly string ContrastScript = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "E2E", "Contrast.js"));

    [Fact]
    public async Task Every_text_on_the_main_pages_meets_WCAG_AA_contrast_in_light_and_dark_mode()
    {
        var user = await E2E.UserWithHistoryAsync(app, plays: 1500, years: 1, seed: 41);
        var track = await app.Db.ScalarAsync<long>(
            "SELECT track_id FROM user_track_stats WHERE user_id = $1 ORDER BY play_count DESC, track_id LIMIT 1", user);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1600 } });
        var page = await E2E.SignedInPageAsync(context, app, user);
        string[] paths = ["/", $"/track/{track}", "/import", "/settings", "/account/data"];

        var failures = new List<string>();
        foreach (var dark in new[] { false, true })
        {
            if (dark)
            {
                await page.GetByLabel("Toggle dark mode").ClickAsync();
                await page.WaitForFunctionAsync("() => document.querySelector('.mud-theme-dark, .mud-dark') !== null || getComputedStyle(document.body).backgroundColor !== 'rgb(246, 247, 249)'");
            }

            foreach (var path in paths)
            {
                await page.GotoAsync(new Uri(app.BaseUri, path).ToString());
                await E2E.WaitForCircuitAsync(page);
                await page.WaitForSelectorAsync("h1");
                await page.WaitForTimeoutAsync(400); // the sections that load after the heading
                var found = await page.EvaluateAsync<string[]>(ContrastScript);
                failures.AddRange(found.Select(f => $"{(dark ? "dark" : "light")} {path}: {f}"));
            }
        }

        // And what a visitor sees before signing in.
        await using var visitor = await browser.NewContextAsync();
        var start = await visitor.NewPageAsync();
        foreach (var path in new[] { "/", "/signin", "/no/such/page" })
        {
            await start.GotoAsync(new Uri(app.BaseUri, path).ToString());
            await E2E.WaitForCircuitAsync(start);
            await start.WaitForSelectorAsync("h1");
            var found = await start.EvaluateAsync<string[]>(ContrastScript);
            failures.AddRange(found.Select(f => $"signed out {path}: {f}"));
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task A_keyboard_user_sees_where_the_focus_is_on_toggles_links_and_buttons()
    {
        var user = await E2E.UserWithHistoryAsync(app, plays: 800, years: 1, seed: 42);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1600 } });
        var page = await E2E.SignedInPageAsync(context, app, user);
        await page.WaitForSelectorAsync("[data-list='track'] li a.myi-toplist__name");

        // Tab through the page and record, for each stop, whether something shows it.
        var unmarked = new List<string>();
        var stops = 0;
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var stop = await page.EvaluateAsync<string?>("""
                () => {
                  const e = document.activeElement;
                  // tabindex=-1: FocusOnNavigate's heading, focused for screen readers, not a tab stop.
                  if (!e || e === document.body || e.getAttribute('tabindex') === '-1') return null;
                  const shown = el => { const s = getComputedStyle(el);
                    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow !== 'none' && s.boxShadow !== ''); };
                  const label = (e.innerText || e.getAttribute('aria-label') || e.tagName).trim().slice(0, 30);
                  return (shown(e) ? 'ok ' : 'NO ') + e.tagName.toLowerCase() + ' ' + label;
                }
                """);
            if (stop is null)
            {
                continue;
            }

            stops++;
            if (stop.StartsWith("NO ", StringComparison.Ordinal))
            {
                unmarked.Add(stop[3..]);
            }
        }

        Assert.True(stops >= 20, $"only {stops} focus stops");
        Assert.True(unmarked.Count == 0, "focus not visible on: " + string.Join(" | ", unmarked));
    }
}
