using Microsoft.AspNetCore.Builder;
using MyiV3.SpotifyEmulator;

namespace MyiV3.Tests.Spotify;

/// <summary>The Spotify emulator on 127.0.0.1:0, in-process; settings under "Emulator:*".</summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorHost(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }
    public EmulatorState State => _app.State();
    public string BaseUrl => BaseUri.ToString().TrimEnd('/');

    public static async Task<EmulatorHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var app = await EmulatorApp.BuildAsync(["--urls", "http://127.0.0.1:0"], b =>
        {
            b.Configuration["Logging:LogLevel:Default"] = "Warning";
            foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
            {
                b.Configuration[k] = v;
            }
        });
        await app.StartAsync();
        return new EmulatorHost(app, new Uri(app.Urls.First().TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
