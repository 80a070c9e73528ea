namespace MyiV3.Jobs.Spotify;

/// <summary>Configuration section "Spotify": the same settings point at real Spotify or at the emulator.</summary>
public sealed class SpotifyOptions
{
    public const string Section = "Spotify";

    public string AccountsBaseUrl { get; set; } = "https://accounts.spotify.com";
    public string ApiBaseUrl { get; set; } = "https://api.spotify.com";
    public string? ClientId { get; set; }

    /// <summary>Optional: with PKCE a public client needs none; when set it is sent as Basic auth.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The callback registered with Spotify; derived from the request when empty.</summary>
    public string? RedirectUri { get; set; }

    public string Scopes { get; set; } = "user-read-recently-played user-top-read user-read-email user-read-private";

    /// <summary>Refresh-token encryption keys by version, base64 of 32 bytes; the highest version encrypts.</summary>
    public Dictionary<string, string> TokenKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Key file used when no key is configured; created once, beside the embedded database.</summary>
    public string? TokenKeyFile { get; set; }

    /// <summary>All Web API requests of the process, every job together.</summary>
    public int RequestsPerMinute { get; set; } = 150;

    /// <summary>A 429 asking to wait longer than this is not waited for: the user is rescheduled.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public int MaxRetries { get; set; } = 3;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Circuit breaker: opens when this share of at least <see cref="BreakerMinimumThroughput"/> calls fail.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;
    public int BreakerMinimumThroughput { get; set; } = 20;
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Sync: a user is polled again only after this long (users.last_ingested_at).</summary>
    public TimeSpan SyncCooldown { get; set; } = TimeSpan.FromMinutes(5);
    public int SyncParallelism { get; set; } = 5;

    /// <summary>After a full page of 50 the user is polled again this soon, plus up to as much jitter.</summary>
    public TimeSpan FullPageRequeueDelay { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId);
}
