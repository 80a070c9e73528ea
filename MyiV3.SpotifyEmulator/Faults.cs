namespace MyiV3.SpotifyEmulator;

public enum FaultKind
{
    /// <summary>Answer with <see cref="Fault.StatusCode"/> and Spotify's error body.</summary>
    Status,
    /// <summary>429 with a Retry-After header of <see cref="Fault.RetryAfterSeconds"/>.</summary>
    RateLimit,
    /// <summary>Wait <see cref="Fault.Delay"/> before answering normally: the client's timeout fires first.</summary>
    Delay,
    /// <summary>A 401 "The access token expired", whatever the token.</summary>
    ExpiredToken,
    /// <summary>Token endpoint: 400 invalid_grant.</summary>
    InvalidGrant,
    /// <summary>recently-played: an empty page whatever the user played.</summary>
    EmptyPage,
    /// <summary>recently-played: 50 new plays are appended before answering, so the page is full.</summary>
    FullPage,
}

public sealed record Fault(FaultKind Kind, int StatusCode = 500, int RetryAfterSeconds = 1, TimeSpan Delay = default)
{
    public static Fault Status(int code) => new(FaultKind.Status, code);
    public static Fault RateLimit(int retryAfterSeconds) => new(FaultKind.RateLimit, 429, retryAfterSeconds);
    public static Fault Timeout(TimeSpan delay) => new(FaultKind.Delay, Delay: delay);
    public static readonly Fault ExpiredToken = new(FaultKind.ExpiredToken, 401);
    public static readonly Fault InvalidGrant = new(FaultKind.InvalidGrant, 400);
    public static readonly Fault EmptyPage = new(FaultKind.EmptyPage, 200);
    public static readonly Fault FullPage = new(FaultKind.FullPage, 200);
}

/// <summary>Names of the endpoints faults can target.</summary>
public static class Endpoints
{
    public const string Token = "token";
    public const string Me = "me";
    public const string RecentlyPlayed = "recently-played";
    public const string TopTracks = "top-tracks";
    public const string TopArtists = "top-artists";
    public const string Tracks = "tracks";
    public const string Artists = "artists";
    public const string Albums = "albums";
}

/// <summary>
/// Queued faults, consumed one per matching request in order; a rule names a user, an endpoint,
/// both or neither. Random faults (a storm) come from <see cref="RandomFaultOptions"/>.
/// </summary>
public sealed class FaultInjector
{
    private static readonly int[] ServerErrors = [500, 502, 503];
    private readonly Lock _lock = new();
    private readonly List<Rule> _rules = [];
    private readonly Random _random;

    public FaultInjector(RandomFaultOptions random)
    {
        Random = random;
        _random = new Random(random.Seed);
    }

    public RandomFaultOptions Random { get; set; }

    /// <summary>Queue a fault for the next <paramref name="times"/> matching requests.</summary>
    public void Enqueue(Fault fault, string? userId = null, string? endpoint = null, int times = 1)
    {
        lock (_lock)
        {
            _rules.Add(new Rule(fault, userId, endpoint, times));
        }
    }

    /// <summary>A fault for every matching request until <see cref="Clear"/>.</summary>
    public void Always(Fault fault, string? userId = null, string? endpoint = null) => Enqueue(fault, userId, endpoint, int.MaxValue);

    public void Clear()
    {
        lock (_lock)
        {
            _rules.Clear();
        }
    }

    internal Fault? Take(string? userId, string endpoint)
    {
        lock (_lock)
        {
            foreach (var rule in _rules)
            {
                if ((rule.UserId is null || rule.UserId == userId) && (rule.Endpoint is null || rule.Endpoint == endpoint) && rule.Remaining > 0)
                {
                    if (rule.Remaining != int.MaxValue)
                    {
                        rule.Remaining--;
                    }

                    if (rule.Remaining == 0)
                    {
                        _rules.Remove(rule);
                    }

                    return rule.Fault;
                }
            }

            if (endpoint == Endpoints.Token)
            {
                return null;
            }

            var r = Random;
            var roll = _random.NextDouble();
            if (roll < r.RateLimitProbability)
            {
                return Fault.RateLimit(r.RetryAfterSeconds);
            }

            roll -= r.RateLimitProbability;
            if (roll < r.ServerErrorProbability)
            {
                return Fault.Status(ServerErrors[_random.Next(ServerErrors.Length)]);
            }

            roll -= r.ServerErrorProbability;
            return roll < r.TimeoutProbability ? Fault.Timeout(TimeSpan.FromMilliseconds(r.TimeoutMilliseconds)) : null;
        }
    }

    private sealed class Rule(Fault fault, string? userId, string? endpoint, int remaining)
    {
        public Fault Fault { get; } = fault;
        public string? UserId { get; } = userId;
        public string? Endpoint { get; } = endpoint;
        public int Remaining { get; set; } = remaining;
    }
}
