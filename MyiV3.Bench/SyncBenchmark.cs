using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MyiV3.Data;
using MyiV3.Data.Ingestion;
using MyiV3.Data.Live;
using MyiV3.Jobs.Hosting;
using MyiV3.Jobs.Spotify;
using MyiV3.Jobs.Sync;
using MyiV3.SpotifyEmulator;
using Npgsql;

namespace MyiV3.Bench;

/// <summary>
/// Sync of many emulator users through MyiV3's real Spotify stack (PKCE sign-in, resilient client,
/// the process-wide limit of 150 requests/minute, the ingestion engine), then verify of every user.
/// </summary>
internal static class SyncBenchmark
{
    private const string Redirect = "http://127.0.0.1:9/account/callback";

    // Under a page of 50, so one poll per user brings everything (a full page would be polled again).
    private const int PlaysPerUser = 45;

    public static async Task RunAsync(BenchDatabase cluster, int users)
    {
        var app = await EmulatorApp.BuildAsync(["--urls", "http://127.0.0.1:0"], b =>
        {
            b.Configuration["Logging:LogLevel:Default"] = "Warning";
            b.Configuration["Emulator:InitialUsers"] = "0";
        });
        await app.StartAsync();
        try
        {
            var baseUri = new Uri(app.Urls.First().TrimEnd('/') + "/");
            var state = app.State();
            var dataSource = await cluster.CreateMigratedDatabaseAsync();
            await using var services = Services(dataSource, baseUri, cluster.Root);
            var ids = Enumerable.Range(1, users).Select(i => string.Create(CultureInfo.InvariantCulture, $"bench-{i}")).ToList();
            foreach (var id in ids)
            {
                state.AddUser(id, id, PlaysPerUser);
            }

            Console.WriteLine($"sync benchmark: {users:N0} emulator users × {PlaysPerUser} plays, limit {services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SpotifyOptions>>().Value.RequestsPerMinute}/min, {Environment.ProcessorCount} cores, load {Load()}");

            var signInClock = Stopwatch.StartNew();
            await SignInAllAsync(services, baseUri, ids);
            var signInSeconds = signInClock.Elapsed.TotalSeconds;
            Console.WriteLine($"sign-in: {users:N0} users in {signInSeconds:F1}s (PKCE code exchange + /v1/me + link)");

            var syncStart = state.Time.GetUtcNow();
            var syncClock = Stopwatch.StartNew();
            var outcomes = await services.GetRequiredService<SpotifySyncService>().SyncEligibleAsync(CancellationToken.None);
            var syncSeconds = syncClock.Elapsed.TotalSeconds;

            var all = state.Requests;
            var api = all.Where(r => r.Endpoint != Endpoints.Token).ToList();
            var syncRequests = api.Where(r => r.At >= syncStart).ToList();
            var busiest = ControlEndpoints.MaxPerWindow(all, TimeSpan.FromMinutes(1));
            var busiestSync = ControlEndpoints.MaxPerWindow(syncRequests, TimeSpan.FromMinutes(1));
            var inserted = outcomes.Sum(o => o.Inserted);
            var expected = state.Users.Sum(u => u.Plays.Count);
            var stored = await ScalarAsync(dataSource, "SELECT count(*) FROM listening_events");
            var statuses = string.Join(", ", outcomes.GroupBy(o => o.Status).Select(g => $"{g.Key} {g.Count()}"));
            Console.WriteLine($"sync: {outcomes.Count:N0} users ({statuses}), {inserted:N0} plays inserted ({stored:N0} stored, {expected:N0} in the emulator) in {syncSeconds:F1}s");
            Console.WriteLine($"requests: {api.Count:N0} Web API in total ({Breakdown(api)}), {all.Count - api.Count:N0} token (not rate limited); sync phase {syncRequests.Count:N0} = {syncRequests.Count / (syncSeconds / 60):F1}/min average");
            Console.WriteLine($"busiest 60 s window: {busiest} requests over the whole run, {busiestSync} during sync (limit 150): {(busiest <= 150 ? "OK" : "EXCEEDED")}");

            var verifyClock = Stopwatch.StartNew();
            var (verified, differing) = await VerifyAllAsync(services, dataSource);
            Console.WriteLine($"verify: {verified:N0} users, {differing} with differences, in {verifyClock.Elapsed.TotalSeconds:F1}s");

            var ok = busiest <= 150 && differing == 0 && stored == expected && outcomes.All(o => o.Status == SyncStatus.Synced);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SUMMARY sync users={users} plays={inserted} wall={syncSeconds:F1}s signin={signInSeconds:F1}s apiRequests={api.Count} syncRequests={syncRequests.Count} busiest60s={busiest} verifyUsers={verified} verifyDiffUsers={differing} result={(ok ? "PASS" : "FAIL")}"));
            await dataSource.DisposeAsync();
            if (!ok)
            {
                Environment.ExitCode = 1;
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static ServiceProvider Services(NpgsqlDataSource dataSource, Uri emulator, string root)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Spotify:AccountsBaseUrl"] = emulator.ToString().TrimEnd('/'),
            ["Spotify:ApiBaseUrl"] = emulator.ToString().TrimEnd('/'),
            ["Spotify:ClientId"] = "myi-emulator",
            ["Spotify:RedirectUri"] = Redirect,
            ["Spotify:TokenKeys:1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            // Every eligible user at once, as the first run after many sign-ins would be; the rest is the default.
            ["Spotify:SyncCooldown"] = "00:00:00",
            ["Database:Embedded:RootDirectory"] = root,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(dataSource);
        services.AddPooledDbContextFactory<MyiDbContext>(o => MyiDatabase.Configure(o, dataSource));
        services.AddSingleton<IUserNotifier, NoListenersNotifier>();
        services.AddMyiIngestion();
        services.AddMyiSpotify(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>As the web callback does, a few at a time: authorize, PKCE code exchange, link (one /v1/me each, rate limited).</summary>
    private static async Task SignInAllAsync(ServiceProvider services, Uri emulator, IReadOnlyList<string> ids)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) =>
        {
            var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = "myi-emulator", ["redirect_uri"] = Redirect, ["state"] = "x", ["scope"] = "user-read-recently-played",
                ["code_challenge"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))), ["code_challenge_method"] = "S256", ["user"] = id,
            });
            using var res = await http.PostAsync(new Uri(emulator, "authorize"), form, ct);
            if (res.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"authorize answered {res.StatusCode}");
            }

            var code = Uri.UnescapeDataString(res.Headers.Location!.ToString().Split("code=")[1].Split('&')[0]);
            using var scope = services.CreateScope();
            var token = await scope.ServiceProvider.GetRequiredService<SpotifyAccountsClient>().ExchangeCodeAsync(code, Redirect, verifier, ct);
            await scope.ServiceProvider.GetRequiredService<SpotifyAccountLinker>().LinkAsync(token, ct);
        });
    }

    private static async Task<(int Verified, int Differing)> VerifyAllAsync(ServiceProvider services, NpgsqlDataSource dataSource)
    {
        var userIds = new List<long>();
        await using (var cmd = dataSource.CreateCommand("SELECT id FROM users ORDER BY id"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                userIds.Add(reader.GetInt64(0));
            }
        }

        var differing = 0;
        await Parallel.ForEachAsync(userIds, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (id, ct) =>
        {
            using var scope = services.CreateScope();
            var differences = await scope.ServiceProvider.GetRequiredService<IStatsRebuilder>().VerifyAsync(id, ct);
            if (differences.Count > 0)
            {
                Interlocked.Increment(ref differing);
                Console.WriteLine($"user {id}: {differences.Count} differences, first {differences[0]}");
            }
        });
        return (userIds.Count, differing);
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static string Breakdown(IEnumerable<RequestRecord> requests) =>
        string.Join(", ", requests.GroupBy(r => r.Endpoint).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count():N0}"));

    private static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
