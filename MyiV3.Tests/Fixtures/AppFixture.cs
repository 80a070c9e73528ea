using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using MyiV3.Web.Hosting;

namespace MyiV3.Tests.Fixtures;

/// <summary>The real app on Kestrel (a real socket, for the browser) over a database of its own.</summary>
public class AppFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private TestDatabase? _db;

    public TestDatabase Db => _db ?? throw new InvalidOperationException("Not initialised.");
    public WebApplication App => _app ?? throw new InvalidOperationException("Not initialised.");
    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");
    public string UploadDirectory { get; } = Path.Combine(Path.GetTempPath(), $"myiv3-uploads-{Guid.NewGuid():N}");

    public async ValueTask InitializeAsync()
    {
        _db = await PostgresCluster.Current.CreateDatabaseAsync();
        _app = await MyiApp.BuildAsync(["--urls", "http://127.0.0.1:0", "--environment", "Development"], builder =>
        {
            builder.Configuration["ConnectionStrings:Myi"] = _db.ConnectionString;
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            // Browser tests sign in seeded users through the test-only endpoint.
            builder.Configuration["Testing:EnableTestSignIn"] = "true";
            // Each test app would otherwise import a multi-year demo history at start.
            builder.Configuration["Demo:SeedHistory"] = "false";
            builder.Configuration["Import:StorageDirectory"] = UploadDirectory;
            // The app runs from the test's output folder; serve the Web project's static assets.
            builder.WebHost.UseStaticWebAssets();
            Configure(builder);
        });
        await _app.StartAsync();
        BaseUri = new Uri(_app.Urls.First().TrimEnd('/') + "/");
    }

    /// <summary>Settings of a derived fixture, applied after the defaults above.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        if (Directory.Exists(UploadDirectory))
        {
            Directory.Delete(UploadDirectory, recursive: true);
        }
    }
}
