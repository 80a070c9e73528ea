using Microsoft.Playwright;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.E2E;

/// <summary>A 360-pixel phone: nothing runs off the screen or out of its card, and chart labels stay apart.</summary>
public sealed class PhoneLayoutTests(AppFixture app, BrowserFixture browser) : IClassFixture<AppFixture>
{
    // Everything the page draws that sticks out of the viewport, a stat value wider than its card, and
    // x-axis labels of one chart that overlap.
    private const string Problems = """
        () => {
          const out = [];
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth > width + 1) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
          for (const v of document.querySelectorAll('[data-stat]')) {
            const card = v.closest('.mud-paper').getBoundingClientRect();
            const r = v.getBoundingClientRect();
            if (v.scrollWidth > v.clientWidth + 1 || r.right > card.right + 1) out.push(`stat ${v.dataset.stat} "${v.innerText}" overflows its card`);
          }
          for (const chart of document.querySelectorAll('[data-chart]')) {
            const labels = [...chart.querySelectorAll('svg text')]
              .filter(t => t.textContent.trim() !== '')
              .map(t => ({ text: t.textContent.trim(), r: t.getBoundingClientRect() }))
              .filter(l => l.r.width > 0);
            // x-axis labels: those on the lowest row of text
            const bottom = Math.max(...labels.map(l => l.r.top));
            const row = labels.filter(l => Math.abs(l.r.top - bottom) < 2).sort((a, b) => a.r.left - b.r.left);
            for (let i = 1; i < row.length; i++) {
              if (row[i].r.left < row[i - 1].r.right - 0.5) out.push(`${chart.dataset.chart}: labels "${row[i - 1].text}" and "${row[i].text}" overlap`);
            }
            const box = chart.getBoundingClientRect();
            for (const l of row) {
              if (l.r.left < box.left - 1 || l.r.right > box.right + 1) out.push(`${chart.dataset.chart}: label "${l.text}" is cut off`);
            }
          }
          return out;
        }
        """;

    [Fact]
    public async Task On_a_phone_the_dashboard_and_item_pages_fit_the_screen_and_their_chart_labels_do_not_overlap()
    {
        var user = await E2E.UserWithHistoryAsync(app, plays: 3000, years: 3, seed: 43);
        var (track, artist, album) = (
            await app.Db.ScalarAsync<long>("SELECT track_id FROM user_track_stats WHERE user_id = $1 ORDER BY play_count DESC, track_id LIMIT 1", user),
            await app.Db.ScalarAsync<long>("SELECT artist_id FROM user_artist_stats WHERE user_id = $1 ORDER BY play_count DESC, artist_id LIMIT 1", user),
            await app.Db.ScalarAsync<long>("SELECT t.album_id FROM user_track_stats s JOIN tracks t ON t.id = s.track_id WHERE s.user_id = $1 AND t.album_id IS NOT NULL ORDER BY s.play_count DESC LIMIT 1", user));
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 360, Height = 780 }, IsMobile = true, HasTouch = true });
        var page = await E2E.SignedInPageAsync(context, app, user);

        var problems = new List<string>();
        async Task CheckAsync(string what, string chart)
        {
            await page.WaitForSelectorAsync($"[data-chart='{chart}'] svg text");
            await page.WaitForTimeoutAsync(300);
            problems.AddRange((await page.EvaluateAsync<string[]>(Problems)).Select(p => $"{what}: {p}"));
        }

        await CheckAsync("dashboard, all time by month", "activity");
        foreach (var (period, bucket) in new[] { ("Year", "Week"), ("4 weeks", "Day"), ("All time", "Week") })
        {
            await Toggle(page, period).ClickAsync();
            await Toggle(page, bucket).ClickAsync();
            await CheckAsync($"dashboard, {period} by {bucket}", "activity");
        }

        foreach (var path in new[] { $"/track/{track}", $"/artist/{artist}", $"/album/{album}" })
        {
            await page.GotoAsync(new Uri(app.BaseUri, path).ToString());
            await E2E.WaitForCircuitAsync(page);
            await CheckAsync(path, "months");
        }

        if (E2E.ScreenshotsWanted)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2E.ScreenshotDirectory(), "album-phone.png"), FullPage = true });
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static ILocator Toggle(IPage page, string text) => page.Locator("button.mud-toggle-item", new()
    {
        HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{text}\\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase),
    });
}
