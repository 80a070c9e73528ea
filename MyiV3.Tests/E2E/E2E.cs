using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MyiV3.Jobs.Import;
using MyiV3.Jobs.Import.Generator;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.E2E;

/// <summary>What browser tests share: users seeded through the real import path, sign-in, screenshots.</summary>
internal static class E2E
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static HistoryGeneratorOptions History(int plays, int years, int seed) => new()
    {
        Plays = plays,
        Years = years,
        Seed = seed,
        LastDay = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1),
        RowsPerFile = Math.Max(500, plays / 4),
    };

    public static byte[] Zip(HistoryGeneratorOptions options, out GeneratedHistory history)
    {
        using var buffer = new MemoryStream();
        history = new HistoryGenerator(options).WriteZip(buffer);
        return buffer.ToArray();
    }

    /// <summary>A new user whose generated history went through the app's own import service; waits until it is applied.</summary>
    public static async Task<long> UserWithHistoryAsync(AppFixture app, int plays, int years, int seed, string fileName = "my_spotify_data.zip")
    {
        var user = await TestUsers.CreateAsync(app.Db, "Europe/Berlin");
        await ImportAsync(app, user, plays, years, seed, fileName);
        return user;
    }

    /// <summary>Imports a generated history for the user through the app's import service and waits until it is applied.</summary>
    public static async Task ImportAsync(AppFixture app, long user, int plays, int years, int seed, string fileName)
    {
        var zip = Zip(History(plays, years, seed), out _);
        using var content = new MemoryStream(zip);
        var job = await app.App.Services.GetRequiredService<IImportService>().EnqueueAsync(user, fileName, content, Ct);
        await WaitForJobAsync(app, job.Id, TimeSpan.FromSeconds(120));
    }

    public static async Task WaitForJobAsync(AppFixture app, long jobId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await app.Db.ScalarAsync<string>("SELECT status::text FROM import_jobs WHERE id = $1", jobId);
            if (status is "COMPLETED")
            {
                return;
            }

            Assert.True(status != "FAILED", await app.Db.ScalarAsync<string>("SELECT error_message FROM import_jobs WHERE id = $1", jobId));
            Assert.True(DateTime.UtcNow < deadline, $"Import job {jobId} still {status}");
            await Task.Delay(200, Ct);
        }
    }

    public static async Task<IPage> SignedInPageAsync(IBrowserContext context, AppFixture app, long userId, string path = "/")
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseUri, $"testing/signin/{userId.ToString(CultureInfo.InvariantCulture)}?returnUrl={Uri.EscapeDataString(path)}").ToString());
        await WaitForCircuitAsync(page);
        return page;
    }

    /// <summary>The interactive circuit is connected when MudBlazor's theme variables are set and a page heading rendered.</summary>
    public static async Task WaitForCircuitAsync(IPage page)
    {
        await page.WaitForSelectorAsync(".mud-layout");
        await page.WaitForFunctionAsync("() => window.Blazor && getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim() !== ''");
    }

    /// <summary>The import page's drop zone takes drops once its module has attached the handlers, some time after the first render.</summary>
    public static Task WaitForDropZoneAsync(IPage page) => page.WaitForSelectorAsync("#drop-zone[data-ready='true']");

    public static async Task<long> StatAsync(IPage page, string key)
    {
        var text = await page.Locator($"[data-stat='{key}']").InnerTextAsync();
        return long.Parse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture);
    }

    public static bool ScreenshotsWanted => Environment.GetEnvironmentVariable("MYI_SCREENSHOTS") == "1";

    /// <summary>docs/screenshots in the repository (found from the test's output folder upwards).</summary>
    public static string ScreenshotDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MyiV3.sln")))
        {
            dir = dir.Parent;
        }

        var path = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "docs", "screenshots");
        Directory.CreateDirectory(path);
        return path;
    }
}
