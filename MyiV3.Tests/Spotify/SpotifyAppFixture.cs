using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using MyiV3.Tests.Fixtures;
using MyiV3.Web.Hosting;

namespace MyiV3.Tests.Spotify;

/// <summary>The real app on Kestrel with its Spotify base URLs pointed at an in-process emulator.</summary>
public sealed class SpotifyAppFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public EmulatorHost Emulator { get; private set; } = null!;
    public TestDatabase Db { get; private set; } = null!;
    public WebApplication App => _app ?? throw new InvalidOperationException("Not initialised.");
    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    public async ValueTask InitializeAsync()
    {
        Emulator = await EmulatorHost.StartAsync(new Dictionary<string, string?> { ["Emulator:InitialUsers"] = "2", ["Emulator:InitialPlaysPerUser"] = "25" });
        Db = await PostgresCluster.Current.CreateDatabaseAsync();
        _app = await MyiApp.BuildAsync(["--urls", "http://127.0.0.1:0", "--environment", "Development"], builder =>
        {
            builder.Configuration["ConnectionStrings:Myi"] = Db.ConnectionString;
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            builder.Configuration["Spotify:AccountsBaseUrl"] = Emulator.BaseUrl;
            builder.Configuration["Spotify:ApiBaseUrl"] = Emulator.BaseUrl;
            builder.Configuration["Spotify:ClientId"] = "myi-emulator";
            builder.Configuration["Spotify:TokenKeys:1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            builder.Configuration["Import:StorageDirectory"] = Path.Combine(Path.GetTempPath(), "myi-spotify-app-" + Guid.NewGuid().ToString("N"));
            builder.WebHost.UseStaticWebAssets();
        });
        await _app.StartAsync();
        BaseUri = new Uri(_app.Urls.First().TrimEnd('/') + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await Db.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
