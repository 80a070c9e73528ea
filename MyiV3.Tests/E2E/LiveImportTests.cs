using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.E2E;

public sealed class LiveImportTests(SmallBatchAppFixture app, BrowserFixture browser) : IClassFixture<SmallBatchAppFixture>
{
    private const string RecordStats = """
        () => {
          window.__seen = [];
          window.__charts = [];
          setInterval(() => {
            const s = document.querySelector("[data-stat='plays']");
            if (s) { const v = s.innerText.replaceAll(',', ''); if (window.__seen[window.__seen.length - 1] !== v) window.__seen.push(v); }
            const c = document.querySelector("[data-chart='activity']");
            const t = c ? c.getAttribute('data-total') : 'none';
            if (window.__charts[window.__charts.length - 1] !== t) window.__charts.push(t);
          }, 25);
        }
        """;

    private const string DropFile = """
        async ([selector, name, b64]) => {
          const bin = atob(b64);
          const bytes = new Uint8Array(bin.length);
          for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
          const dt = new DataTransfer();
          dt.items.add(new File([bytes], name, { type: 'application/zip' }));
          const zone = document.querySelector(selector);
          for (const type of ['dragenter', 'dragover', 'drop']) {
            zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
          }
        }
        """;

    [Fact]
    public async Task Dropping_a_zip_updates_progress_totals_and_charts_live_then_track_export_and_delete_work()
    {
        var user = await TestUsers.CreateAsync(app.Db, "Europe/Berlin");
        var zip = E2E.Zip(E2E.History(plays: 12_000, years: 2, seed: 5), out var history);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });

        // Two tabs of the same user: the dashboard and the import page. Neither is reloaded from here on.
        var dashboard = await E2E.SignedInPageAsync(context, app, user, "/");
        await dashboard.WaitForSelectorAsync("[data-stat='plays']");
        Assert.Equal(0, await E2E.StatAsync(dashboard, "plays"));
        await dashboard.EvaluateAsync(RecordStats);
        var import = await context.NewPageAsync();
        await import.GotoAsync(new Uri(app.BaseUri, "import").ToString());
        await E2E.WaitForCircuitAsync(import);
        await E2E.WaitForDropZoneAsync(import);
        await import.WaitForFunctionAsync("() => document.querySelector('#import-jobs') === null");

        await import.EvaluateAsync(DropFile, new object[] { "#drop-zone", "my_spotify_data.zip", Convert.ToBase64String(zip) });

        var job = import.Locator("[data-job]").First;
        await job.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await import.WaitForSelectorAsync("[data-job][data-status='COMPLETED']", new PageWaitForSelectorOptions { Timeout = 120_000 });
        await job.Locator(string.Create(CultureInfo.InvariantCulture, $"[data-counter='imported']:text-is('{history.DistinctPlays:N0}')")).WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        Assert.Equal(1L, await app.Db.ScalarAsync<long>("SELECT count(*) FROM import_jobs WHERE user_id = $1", user)); // one drop, one upload
        Assert.Equal(history.NonMusicRows, Counter(await job.Locator("[data-counter='nonmusic']").InnerTextAsync()));
        Assert.Equal(history.DuplicatePlayRows, Counter(await job.Locator("[data-counter='duplicates']").InnerTextAsync()));
        Assert.Equal(history.ZeroMsRows, Counter(await job.Locator("[data-counter='zero']").InnerTextAsync()));

        // The dashboard tab followed along: intermediate totals, and a chart that appeared and grew.
        var final = history.DistinctPlays.ToString(CultureInfo.InvariantCulture);
        await dashboard.WaitForFunctionAsync($"() => window.__seen[window.__seen.length - 1] === '{final}'", null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        var seen = await dashboard.EvaluateAsync<string[]>("() => window.__seen");
        var charts = await dashboard.EvaluateAsync<string[]>("() => window.__charts");
        Assert.Equal("0", seen[0]);
        Assert.Contains(seen, v => v != "0" && v != final); // a value seen while the import ran
        Assert.Equal("none", charts[0]);
        Assert.Equal(final, charts[^1]);
        Assert.True(charts.Length >= 3, "activity chart totals seen: " + string.Join(", ", charts));
        Assert.Equal(history.DistinctPlays, await E2E.StatAsync(import, "plays"));

        // A track page from the top list.
        var top = dashboard.Locator("[data-list='track'] li a.myi-toplist__name").First;
        var name = await top.InnerTextAsync();
        await top.ClickAsync();
        await dashboard.WaitForURLAsync("**/track/*");
        await dashboard.WaitForSelectorAsync("#item-name");
        Assert.Equal(name, await dashboard.Locator("#item-name").InnerTextAsync());

        // Export: the JSON holds every play, in the shape the import reads.
        await dashboard.GotoAsync(new Uri(app.BaseUri, "account/data").ToString());
        await E2E.WaitForCircuitAsync(dashboard);
        var download = await dashboard.RunAndWaitForDownloadAsync(() => dashboard.ClickAsync("#export-json"));
        var exported = await download.PathAsync();
        await using (var file = File.OpenRead(exported))
        {
            using var doc = await JsonDocument.ParseAsync(file, cancellationToken: E2E.Ct);
            Assert.Equal(history.DistinctPlays, doc.RootElement.GetArrayLength());
            Assert.StartsWith("spotify:track:", doc.RootElement[0].GetProperty("spotify_track_uri").GetString(), StringComparison.Ordinal);
        }

        // The same account open in another browser.
        await using var elsewhere = await browser.NewContextAsync();
        var other = await E2E.SignedInPageAsync(elsewhere, app, user, "/");

        // Delete the account: confirm, land signed out, and nothing of the user is left.
        await dashboard.ClickAsync("#delete-account");
        await dashboard.GetByRole(AriaRole.Button, new() { Name = "Delete everything" }).ClickAsync();
        await dashboard.WaitForSelectorAsync("#try-demo");
        Assert.Equal(0L, await app.Db.ScalarAsync<long>("SELECT count(*) FROM users WHERE id = $1", user));
        Assert.Equal(0L, await app.Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1", user));
        Assert.Equal(0L, await app.Db.ScalarAsync<long>("SELECT count(*) FROM user_track_stats WHERE user_id = $1", user));
        Assert.Equal(0L, await app.Db.ScalarAsync<long>("SELECT count(*) FROM import_jobs WHERE user_id = $1", user));
        var cookies = await context.CookiesAsync();
        Assert.DoesNotContain(cookies, c => c.Name == "myi.session");

        // The other browser's session ends with its next request instead of showing an empty account.
        await other.ReloadAsync();
        await other.WaitForSelectorAsync("#try-demo");
        Assert.DoesNotContain(await elsewhere.CookiesAsync(), c => c.Name == "myi.session");
    }

    [Fact]
    public async Task Choosing_an_unpacked_export_folder_uploads_only_its_history_files_and_a_folder_without_any_says_so()
    {
        var user = await TestUsers.CreateAsync(app.Db, "Europe/Berlin");
        var zip = E2E.Zip(E2E.History(plays: 2_000, years: 1, seed: 8), out var history);
        // As Safari leaves the download: unpacked, with the read-me and a side file beside the history files.
        var folder = Path.Combine(Path.GetTempPath(), $"myiv3-e2e-folder-{Guid.NewGuid():N}", "Spotify Extended Streaming History");
        System.IO.Compression.ZipFile.ExtractToDirectory(new MemoryStream(zip), folder);

        var historyFiles = Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories).Length;
        await File.WriteAllTextAsync(Path.Combine(folder, "ReadMeFirst_ExtendedStreamingHistory.pdf"), "%PDF-1.4", E2E.Ct);
        await File.WriteAllTextAsync(Path.Combine(folder, "Userdata.json"), """{"username":"x"}""", E2E.Ct);
        var sideOnly = Path.Combine(Path.GetDirectoryName(folder)!, "Spotify Account Data");
        Directory.CreateDirectory(sideOnly);
        await File.WriteAllTextAsync(Path.Combine(sideOnly, "Userdata.json"), """{"username":"x"}""", E2E.Ct);
        try
        {
            await using var context = await browser.NewContextAsync();
            var page = await E2E.SignedInPageAsync(context, app, user, "/import");
            await E2E.WaitForDropZoneAsync(page);

            await page.SetInputFilesAsync("#import-folder", folder);

            await WaitForCompletedJobsAsync(page, historyFiles, 120_000);
            Assert.Equal(historyFiles, await app.Db.ScalarAsync<long>("SELECT count(*) FROM import_jobs WHERE user_id = $1", user));
            Assert.Equal(0L, await app.Db.ScalarAsync<long>("SELECT count(*) FROM import_jobs WHERE user_id = $1 AND status <> 'COMPLETED'", user));
            await page.WaitForFunctionAsync($"() => document.querySelector(\"[data-stat='plays']\")?.innerText.replaceAll(',', '') === '{history.DistinctPlays}'");

            await page.SetInputFilesAsync("#import-folder", sideOnly);
            var error = page.Locator("[data-upload='Spotify Account Data'] .upload-error");
            await error.WaitForAsync();
            Assert.Contains("holds no Spotify history", await error.InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(historyFiles, await app.Db.ScalarAsync<long>("SELECT count(*) FROM import_jobs WHERE user_id = $1", user));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    /// <summary>
    /// A dropped folder as Chrome hands it over: items whose entries are directories, read in chunks. Built
    /// from duck-typed entries, since a page cannot make real ones; the page's walk is what is under test.
    /// </summary>
    private const string DropFolder = """
        async ([selector, tree]) => {
          const fileEntry = (name, text) => ({ isDirectory: false, isFile: true, name,
            file: ok => ok(new File([text], name, { type: 'application/json' })) });
          const dirEntry = (name, children) => {
            const entries = Object.entries(children).map(([n, c]) => typeof c === 'string' ? fileEntry(n, c) : dirEntry(n, c));
            return { isDirectory: true, isFile: false, name, createReader: () => {
              let at = 0; // two entries per chunk, then an empty one, as readEntries does for big folders
              return { readEntries: ok => { const chunk = entries.slice(at, at + 2); at += 2; setTimeout(() => ok(chunk)); } };
            } };
          };
          const items = Object.entries(tree).map(([n, c]) => ({ kind: 'file', webkitGetAsEntry: () => dirEntry(n, c), getAsFile: () => null }));
          const zone = document.querySelector(selector);
          for (const type of ['dragenter', 'dragover', 'drop']) {
            const e = new Event(type, { bubbles: true, cancelable: true });
            Object.defineProperty(e, 'dataTransfer', { value: { items, files: [], dropEffect: 'none' } });
            zone.dispatchEvent(e);
          }
        }
        """;

    [Fact]
    public async Task Dropping_a_folder_walks_it_uploads_only_its_history_files_and_a_folder_without_any_says_so()
    {
        var user = await TestUsers.CreateAsync(app.Db, "Europe/Berlin");
        var tree = new Dictionary<string, object>
        {
            ["my_spotify_data"] = new Dictionary<string, object>
            {
                ["ReadMeFirst_ExtendedStreamingHistory.pdf"] = "%PDF-1.4",
                ["Userdata.json"] = """{"username":"x"}""",
                ["Spotify Extended Streaming History"] = new Dictionary<string, object>
                {
                    ["._Streaming_History_Audio_2024.json"] = "\u0000\u0005",
                    ["Streaming_History_Audio_2024.json"] = $"[{Row("2024-05-01T10:00:00Z", "4uLU6hMCjMI75M1A2tKUQC")}]",
                    ["Older"] = new Dictionary<string, object> { ["endsong_0.json"] = $"[{Row("2016-05-01T10:00:00Z", "7ouMYWpwJ422jRcDASZB7P")}]" },
                },
            },
        };
        await using var context = await browser.NewContextAsync();
        var page = await E2E.SignedInPageAsync(context, app, user, "/import");
        await E2E.WaitForDropZoneAsync(page);

        await page.EvaluateAsync(DropFolder, new object[] { "#drop-zone", tree });

        await WaitForCompletedJobsAsync(page, 2);
        Assert.Equal("Streaming_History_Audio_2024.json,endsong_0.json",
            await app.Db.ScalarAsync<string>("SELECT string_agg(file_name, ',' ORDER BY file_name) FROM import_jobs WHERE user_id = $1", user));
        Assert.Equal(2L, await app.Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user));

        await page.EvaluateAsync(DropFolder, new object[] { "#drop-zone", new Dictionary<string, object> { ["Spotify Account Data"] = new Dictionary<string, object> { ["Userdata.json"] = "{}" } } });
        var error = page.Locator("[data-upload='Spotify Account Data'] .upload-error");
        await error.WaitForAsync();
        Assert.Contains("holds no Spotify history", await error.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(2L, await app.Db.ScalarAsync<long>("SELECT count(*) FROM import_jobs WHERE user_id = $1", user));
    }

    [Fact]
    public async Task A_file_dropped_beside_the_zone_or_on_another_page_is_uploaded_and_never_replaces_the_app()
    {
        var user = await TestUsers.CreateAsync(app.Db, "Europe/Berlin");
        static string Json(string ts) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"[{Row(ts)}]"));
        await using var context = await browser.NewContextAsync();
        var page = await E2E.SignedInPageAsync(context, app, user, "/import");
        await E2E.WaitForDropZoneAsync(page);

        // A miss: the text above the zone. Left to the browser, the file would open in place of the app.
        await page.EvaluateAsync(DropFile, new object[] { "[data-hint='account-data']", "Streaming_History_Audio_2024.json", Json("2024-05-01T10:00:00Z") });
        await WaitForCompletedJobsAsync(page, 1);

        // On the dashboard: the app goes to the import page and uploads it there, once.
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Dashboard" }).ClickAsync();
        // The import page shows the totals too: wait for the zone to be gone and a chart only the dashboard has.
        await page.WaitForSelectorAsync("#drop-zone", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });
        await page.WaitForSelectorAsync("[data-chart='activity']");
        await page.EvaluateAsync(DropFile, new object[] { "[data-chart='activity']", "Streaming_History_Audio_2025.json", Json("2025-05-01T10:00:00Z") });
        await page.WaitForURLAsync("**/import");
        await WaitForCompletedJobsAsync(page, 2);
        Assert.Equal(2L, await app.Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user));
        Assert.Equal(2L, await app.Db.ScalarAsync<long>("SELECT count(*) FROM import_jobs WHERE user_id = $1", user));
    }

    [Fact]
    public async Task The_file_pickers_stay_off_until_the_upload_script_is_on_then_a_chosen_file_is_imported()
    {
        var user = await TestUsers.CreateAsync(app.Db, "Europe/Berlin");
        var file = Path.Combine(Path.GetTempPath(), $"myiv3-pick-{Guid.NewGuid():N}", "Streaming_History_Audio_2024.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, $"[{Row("2024-05-01T10:00:00Z")}]", E2E.Ct);
        try
        {
            await using var context = await browser.NewContextAsync();
            // The upload script (fingerprinted: import-upload.<hash>.js) is held back, as on a slow connection.
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await context.RouteAsync("**/js/import-upload*.js", async route =>
            {
                await release.Task;
                await route.ContinueAsync();
            });
            var page = await E2E.SignedInPageAsync(context, app, user, "/import");
            // A file chosen now would be lost when the live page replaces the prerendered one. Polled: the label
            // read may be the prerendered one just as Blazor swaps it out (detached, it has no computed style).
            await page.WaitForFunctionAsync("""
                () => {
                  const label = document.querySelector("label[for='import-files']");
                  return label?.isConnected && getComputedStyle(label).pointerEvents === 'none';
                }
                """);
            var choose = page.Locator("label[for='import-files']");

            release.SetResult();
            await E2E.WaitForDropZoneAsync(page);
            var chooser = await page.RunAndWaitForFileChooserAsync(() => choose.ClickAsync());
            await chooser.SetFilesAsync(file);

            await WaitForCompletedJobsAsync(page, 1);
            Assert.Equal(1L, await app.Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user));
            // Uploaded, the file leaves the transfer list: its job card says how its import went.
            Assert.Equal(0, await page.Locator("[data-upload]").CountAsync());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    /// <summary>One extended-history row: a 200 s play of the track with this id, ending at <paramref name="ts"/>.</summary>
    private static string Row(string ts, string id = "4uLU6hMCjMI75M1A2tKUQC") =>
        $$"""{"ts":"{{ts}}","ms_played":200000,"master_metadata_track_name":"Song {{id}}","master_metadata_album_artist_name":"Band","master_metadata_album_album_name":"Album","spotify_track_uri":"spotify:track:{{id}}"}""";

    private static async Task WaitForCompletedJobsAsync(IPage page, long count, float timeoutMs = 60_000) =>
        await page.WaitForFunctionAsync("n => document.querySelectorAll(\"[data-job][data-status='COMPLETED']\").length === n", count,
            new PageWaitForFunctionOptions { Timeout = timeoutMs });

    private static long Counter(string text) => long.Parse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture);
}
