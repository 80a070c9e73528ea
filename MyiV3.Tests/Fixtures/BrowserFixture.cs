using Microsoft.Playwright;

namespace MyiV3.Tests.Fixtures;

/// <summary>
/// One Debian Chromium for the whole run, started on first use. Never `playwright install`:
/// the browser comes from the machine (the README's test command installs it).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async Task<IBrowser> GetBrowserAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_browser is null)
            {
                if (!File.Exists(ChromiumPath))
                {
                    throw new InvalidOperationException($"{ChromiumPath} is missing: run the README's test command (./test.sh), which installs Debian's chromium.");
                }

                _playwright = await Playwright.CreateAsync();
                _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = ChromiumPath,
                    Headless = true,
                    Args =
                    [
                        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage",
                    ],
                });
            }

            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A fresh context (own cookies) with patient timeouts: a 2-core CI machine running the data
    /// tests alongside can keep a Blazor circuit waiting for seconds.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        var browser = await GetBrowserAsync();
        var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _gate.Dispose();
    }
}
