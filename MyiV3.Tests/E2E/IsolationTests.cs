using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.E2E;

public sealed class IsolationTests(SmallBatchAppFixture app, BrowserFixture browser) : IClassFixture<SmallBatchAppFixture>
{
    [Fact]
    public async Task A_second_user_in_another_browser_context_sees_none_of_the_first_users_data()
    {
        var alice = await E2E.UserWithHistoryAsync(app, plays: 3000, years: 2, seed: 21, fileName: "alice_history.zip");
        var bob = await E2E.UserWithHistoryAsync(app, plays: 1200, years: 1, seed: 22, fileName: "bob_history.zip");
        var alicePlays = await app.Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", alice);
        var bobPlays = await app.Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", bob);
        Assert.NotEqual(alicePlays, bobPlays);
        var aliceTop = await app.Db.ScalarAsync<long>("SELECT track_id FROM user_track_stats WHERE user_id = $1 ORDER BY play_count DESC LIMIT 1", alice);

        await using var aliceContext = await browser.NewContextAsync();
        await using var bobContext = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true });
        var alicePage = await E2E.SignedInPageAsync(aliceContext, app, alice);
        var bobPage = await E2E.SignedInPageAsync(bobContext, app, bob);
        await alicePage.WaitForSelectorAsync("[data-stat='plays']");
        await bobPage.WaitForSelectorAsync("[data-stat='plays']");
        Assert.Equal(alicePlays, await E2E.StatAsync(alicePage, "plays"));
        Assert.Equal(bobPlays, await E2E.StatAsync(bobPage, "plays"));

        // While Alice imports more, Bob's open dashboard never moves.
        await bobPage.EvaluateAsync("() => { window.__seen = []; setInterval(() => { const v = document.querySelector(\"[data-stat='plays']\").innerText; if (window.__seen[window.__seen.length - 1] !== v) window.__seen.push(v); }, 25); }");
        await alicePage.EvaluateAsync("() => { window.__seen = []; setInterval(() => { const v = document.querySelector(\"[data-stat='plays']\").innerText; if (window.__seen[window.__seen.length - 1] !== v) window.__seen.push(v); }, 25); }");
        await E2E.ImportAsync(app, alice, plays: 2000, years: 1, seed: 23, fileName: "alice_more.zip");
        var aliceNow = await app.Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", alice);
        Assert.True(aliceNow > alicePlays);
        await alicePage.WaitForFunctionAsync($"() => window.__seen[window.__seen.length - 1] === '{aliceNow.ToString("N0", CultureInfo.InvariantCulture)}'");
        Assert.Single(await bobPage.EvaluateAsync<string[]>("() => window.__seen"));
        Assert.Equal(bobPlays, await E2E.StatAsync(bobPage, "plays"));

        // Alice's top track, opened by Bob, shows Bob's own figures for it (none, or his own plays), never Alice's.
        var bobOnAliceTrack = await app.Db.ScalarAsync<long>("SELECT coalesce((SELECT play_count FROM user_track_stats WHERE user_id = $1 AND track_id = $2), 0)", bob, aliceTop);
        await bobPage.GotoAsync(new Uri(app.BaseUri, $"track/{aliceTop.ToString(CultureInfo.InvariantCulture)}").ToString());
        await bobPage.WaitForSelectorAsync("#item-name");
        Assert.Equal(bobOnAliceTrack, await E2E.StatAsync(bobPage, "plays"));

        // Bob's import history lists only his file.
        await bobPage.GotoAsync(new Uri(app.BaseUri, "import").ToString());
        // Retried until it holds: the prerendered list is replaced when the circuit starts.
        await Microsoft.Playwright.Assertions.Expect(bobPage.Locator(".myi-job__name")).ToHaveTextAsync(["bob_history.zip"]);

        // Bob's export holds exactly his plays.
        await bobPage.GotoAsync(new Uri(app.BaseUri, "account/data").ToString());
        await bobPage.WaitForSelectorAsync("#export-json");
        var download = await bobPage.RunAndWaitForDownloadAsync(() => bobPage.ClickAsync("#export-json"));
        await using var file = File.OpenRead(await download.PathAsync());
        using var doc = await JsonDocument.ParseAsync(file, cancellationToken: E2E.Ct);
        Assert.Equal(bobPlays, doc.RootElement.GetArrayLength());

        // And a signed-out visitor gets nobody's data from the export endpoint.
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseUri };
        using var response = await anonymous.GetAsync(new Uri("account/data/plays.json", UriKind.Relative), E2E.Ct);
        Assert.NotEqual(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
