namespace MyiV3.SpotifyEmulator;

/// <summary>Settings of the emulator (configuration section "Emulator").</summary>
public sealed class EmulatorOptions
{
    /// <summary>Seed of the catalog; the same seed gives the same tracks, artists and albums.</summary>
    public int CatalogSeed { get; set; } = 42;

    /// <summary>The client id the token endpoint accepts; empty accepts any.</summary>
    public string ClientId { get; set; } = "myi-emulator";

    /// <summary>When set, a confidential client must present it (Basic auth or form field).</summary>
    public string? ClientSecret { get; set; }

    public int AccessTokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>Every Nth refresh of a refresh token returns a new one and retires the old (0 = never rotate).</summary>
    public int RotateRefreshTokenEvery { get; set; } = 3;

    /// <summary>
    /// The February-2026 restrictions of development-mode apps: batch <c>?ids=</c> endpoints
    /// answer 403 and objects carry no <c>genres</c> or <c>popularity</c>.
    /// </summary>
    public bool DevModeRestrictions { get; set; } = true;

    /// <summary>Test users created at start ("emu-user-1" …).</summary>
    public int InitialUsers { get; set; } = 3;

    /// <summary>Generated plays of each initial user, ending shortly before the emulator started.</summary>
    public int InitialPlaysPerUser { get; set; } = 60;

    /// <summary>Random faults applied to every Web API request (a storm); all zero by default.</summary>
    public RandomFaultOptions RandomFaults { get; set; } = new();
}

public sealed class RandomFaultOptions
{
    public double RateLimitProbability { get; set; }
    public int RetryAfterSeconds { get; set; } = 1;
    public double ServerErrorProbability { get; set; }
    public double TimeoutProbability { get; set; }
    public int TimeoutMilliseconds { get; set; } = 5000;
    public int Seed { get; set; } = 7;
}
