using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MyiV3.Data.Entities;
using MyiV3.Jobs.Hosting;
using MyiV3.Jobs.Spotify;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Spotify;

/// <summary>
/// MyiV3's real Spotify services (clients, resilience, token manager) over a test database,
/// pointed at an in-process emulator; logs are captured.
/// </summary>
public sealed class SpotifyHarness : IAsyncDisposable
{
    public const string Redirect = "http://127.0.0.1:9/account/callback";

    private SpotifyHarness(ServiceProvider services, EmulatorHost emulator, TestDatabase db, LogCapture logs)
    {
        Services = services;
        Emulator = emulator;
        Db = db;
        Logs = logs;
    }

    public ServiceProvider Services { get; }
    public EmulatorHost Emulator { get; }
    public TestDatabase Db { get; }
    public LogCapture Logs { get; }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    // Like a deployment, every harness over one database shares one token key.
    private static readonly ConditionalWeakTable<TestDatabase, string> Keys = [];

    /// <summary>Settings every harness gets: fast retries and timeouts, the database's token key.</summary>
    public static Dictionary<string, string?> Defaults(EmulatorHost emulator, TestDatabase db) => new()
    {
        ["Spotify:AccountsBaseUrl"] = emulator.BaseUrl,
        ["Spotify:ApiBaseUrl"] = emulator.BaseUrl,
        ["Spotify:ClientId"] = "myi-emulator",
        ["Spotify:RedirectUri"] = Redirect,
        ["Spotify:TokenKeys:1"] = Keys.GetValue(db, _ => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))),
        ["Spotify:RetryBaseDelay"] = "00:00:00.050",
        ["Spotify:AttemptTimeout"] = "00:00:01",
        ["Spotify:MaxRetryAfter"] = "00:00:05",
        ["Spotify:BreakerMinimumThroughput"] = "1000",
    };

    public static Task<SpotifyHarness> CreateAsync(TestDatabase db, EmulatorHost emulator, IDictionary<string, string?>? overrides = null,
        TimeProvider? time = null, Action<IServiceCollection>? more = null)
    {
        var settings = Defaults(emulator, db);
        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new LogCapture();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton(db.Factory);
        services.AddSingleton(db.DataSource);
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddMyiSpotify(configuration);
        more?.Invoke(services);
        return Task.FromResult(new SpotifyHarness(services.BuildServiceProvider(), emulator, db, logs));
    }

    /// <summary>Signs an emulator user in the way the web callback does: PKCE code exchange, then link.</summary>
    public async Task<User> SignInAsync(string emulatorUserId, CancellationToken ct = default)
    {
        var token = await AuthorizeAsync(emulatorUserId, ct);
        return await Get<SpotifyAccountLinker>().LinkAsync(token, ct);
    }

    public async Task<SpotifyTokenResponse> AuthorizeAsync(string emulatorUserId, CancellationToken ct = default)
    {
        var verifier = EmulatorTests.Base64Url(RandomNumberGenerator.GetBytes(32));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "myi-emulator", ["redirect_uri"] = Redirect, ["state"] = "x", ["scope"] = "user-read-recently-played",
            ["code_challenge"] = EmulatorTests.Challenge(verifier), ["code_challenge_method"] = "S256", ["user"] = emulatorUserId,
        });
        using var res = await http.PostAsync(new Uri(Emulator.BaseUri, "authorize"), form, ct);
        if (res.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"authorize answered {res.StatusCode}");
        }

        var code = Uri.UnescapeDataString(res.Headers.Location!.ToString().Split("code=")[1].Split('&')[0]);
        return await Get<SpotifyAccountsClient>().ExchangeCodeAsync(code, Redirect, verifier, ct);
    }

    public async Task<SpotifyAuth> AuthOfAsync(long userId)
    {
        await using var db = await Db.Factory.CreateDbContextAsync();
        return await db.SpotifyAuth.AsNoTracking().SingleAsync(a => a.UserId == userId);
    }

    public int TokenRequests(string emulatorUserId) =>
        Emulator.State.Requests.Count(r => r.Endpoint == MyiV3.SpotifyEmulator.Endpoints.Token && r.UserId == emulatorUserId);

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}
