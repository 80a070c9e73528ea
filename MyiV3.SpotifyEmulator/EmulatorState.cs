using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace MyiV3.SpotifyEmulator;

public sealed record EmuPlay(string TrackId, DateTimeOffset PlayedAt);

/// <summary>A test user: profile, seed and the plays the recently-played endpoint reports.</summary>
public sealed class EmuUser
{
    private readonly Lock _lock = new();
    private readonly List<EmuPlay> _plays = [];

    internal EmuUser(string id, string displayName, int seed)
    {
        Id = id;
        DisplayName = displayName;
        Seed = seed;
    }

    public string Id { get; }
    public string DisplayName { get; }
    public int Seed { get; }
    public string Email => $"{Id}@emulator.invalid";

    /// <summary>Every play, oldest first.</summary>
    public IReadOnlyList<EmuPlay> Plays
    {
        get
        {
            lock (_lock)
            {
                return [.. _plays];
            }
        }
    }

    internal void Add(IEnumerable<EmuPlay> plays)
    {
        lock (_lock)
        {
            _plays.AddRange(plays);
            _plays.Sort((a, b) => a.PlayedAt.CompareTo(b.PlayedAt));
        }
    }
}

/// <summary>
/// Everything the emulator knows: catalog, users, plays, grants and faults. Tests reach it
/// through the app's services to add users and plays and to inject faults.
/// </summary>
public sealed class EmulatorState
{
    private readonly ConcurrentDictionary<string, EmuUser> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CodeGrant> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RefreshGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AccessGrant> _accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RequestRecord> _requests = new();

    public EmulatorState(EmulatorOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
        Catalog = new Catalog(options.CatalogSeed);
        Faults = new FaultInjector(options.RandomFaults);
        for (var i = 1; i <= options.InitialUsers; i++)
        {
            AddUser($"emu-user-{i}", $"Test User {i}", options.InitialPlaysPerUser);
        }
    }

    public EmulatorOptions Options { get; }
    public TimeProvider Time { get; }
    public FaultInjector Faults { get; }
    internal Catalog Catalog { get; }

    public IReadOnlyCollection<EmuUser> Users => [.. _users.Values.OrderBy(u => u.Id, StringComparer.Ordinal)];

    public EmuUser? FindUser(string id) => _users.GetValueOrDefault(id);

    /// <summary>Every Web API request served so far (for rate assertions).</summary>
    public IReadOnlyList<RequestRecord> Requests => [.. _requests];

    /// <summary>
    /// Creates (or returns) a user whose history is generated from a seed derived from its id:
    /// <paramref name="initialPlays"/> plays ending just before now.
    /// </summary>
    public EmuUser AddUser(string id, string? displayName = null, int initialPlays = 0)
    {
        var created = false;
        var user = _users.GetOrAdd(id, key =>
        {
            created = true;
            return new EmuUser(key, displayName ?? key, StableSeed(key));
        });
        if (created && initialPlays > 0)
        {
            var rng = new Random(user.Seed);
            var end = Time.GetUtcNow().AddMinutes(-1);
            var plays = new List<EmuPlay>(initialPlays);
            for (var i = 0; i < initialPlays; i++)
            {
                var track = PickTrack(rng, user);
                plays.Add(new EmuPlay(track.Id, Truncate(end)));
                end = end.AddMilliseconds(-(track.DurationMs + rng.Next(0, 120_000)));
            }

            user.Add(plays);
        }

        return user;
    }

    /// <summary>
    /// Appends <paramref name="count"/> new plays after the user's latest, ending no later than now
    /// when they fit; returns them oldest first.
    /// </summary>
    public IReadOnlyList<EmuPlay> AppendPlays(string userId, int count)
    {
        var user = FindUser(userId) ?? throw new KeyNotFoundException(userId);
        var rng = new Random(unchecked(user.Seed * 31 + user.Plays.Count));
        var tracks = Enumerable.Range(0, count).Select(_ => PickTrack(rng, user)).ToList();
        var now = Time.GetUtcNow();
        var latest = user.Plays.Count > 0 ? user.Plays[^1].PlayedAt : now.AddDays(-1);
        var start = now.AddMilliseconds(-tracks.Sum(t => (double)t.DurationMs));
        var at = start > latest ? start : latest;
        var plays = new List<EmuPlay>(count);
        foreach (var t in tracks)
        {
            at = at.AddMilliseconds(t.DurationMs);
            plays.Add(new EmuPlay(t.Id, Truncate(at)));
        }

        user.Add(plays);
        return plays;
    }

    /// <summary>Appends exact plays (track id and end time) for a user.</summary>
    public void AppendPlays(string userId, IEnumerable<EmuPlay> plays)
    {
        var user = FindUser(userId) ?? throw new KeyNotFoundException(userId);
        user.Add(plays.Select(p => p with { PlayedAt = Truncate(p.PlayedAt) }));
    }

    /// <summary>A track of the catalog (for tests that build exact plays).</summary>
    public (string Id, string Name, string PrimaryArtist, int DurationMs) TrackAt(int index)
    {
        var t = Catalog.Tracks[index % Catalog.Tracks.Count];
        return (t.Id, t.Name, t.Artists[0].Name, t.DurationMs);
    }

    /// <summary>Every refresh token of the user now fails with invalid_grant.</summary>
    public void RevokeRefreshTokens(string userId)
    {
        foreach (var (token, grant) in _refreshTokens)
        {
            if (grant.UserId == userId)
            {
                _refreshTokens[token] = grant with { Revoked = true };
            }
        }
    }

    /// <summary>Every access token of the user expires now (the next call answers 401).</summary>
    public void ExpireAccessTokens(string userId)
    {
        var now = Time.GetUtcNow();
        foreach (var (token, grant) in _accessTokens)
        {
            if (grant.UserId == userId)
            {
                _accessTokens[token] = grant with { ExpiresAt = now.AddSeconds(-1) };
            }
        }
    }

    /// <summary>Number of live (not revoked) refresh tokens of the user.</summary>
    public int LiveRefreshTokens(string userId) => _refreshTokens.Values.Count(g => g.UserId == userId && !g.Revoked);

    /// <summary>True when the string is a refresh or access token the emulator issued (for leak checks).</summary>
    public IReadOnlyList<string> IssuedTokens(string userId) =>
        [.. _refreshTokens.Where(kv => kv.Value.UserId == userId).Select(kv => kv.Key),
         .. _accessTokens.Where(kv => kv.Value.UserId == userId).Select(kv => kv.Key)];

    internal void Record(string endpoint, string? userId) => _requests.Enqueue(new RequestRecord(Time.GetUtcNow(), endpoint, userId));

    internal string IssueCode(string userId, string clientId, string redirectUri, string? challenge, string? method, string scope)
    {
        var code = RandomToken();
        _codes[code] = new CodeGrant(userId, clientId, redirectUri, challenge, method, scope, Time.GetUtcNow().AddMinutes(10));
        return code;
    }

    internal CodeGrant? RedeemCode(string code) => _codes.TryRemove(code, out var g) ? g : null;

    internal (string Access, int ExpiresIn) IssueAccessToken(string userId, string scope)
    {
        var token = RandomToken();
        _accessTokens[token] = new AccessGrant(userId, scope, Time.GetUtcNow().AddSeconds(Options.AccessTokenLifetimeSeconds));
        return (token, Options.AccessTokenLifetimeSeconds);
    }

    internal string IssueRefreshToken(string userId, string clientId, string scope)
    {
        var token = RandomToken();
        _refreshTokens[token] = new RefreshGrant(userId, clientId, scope, Revoked: false, Uses: 0);
        return token;
    }

    internal RefreshGrant? FindRefresh(string token) => _refreshTokens.GetValueOrDefault(token);

    internal void UpdateRefresh(string token, RefreshGrant grant) => _refreshTokens[token] = grant;

    /// <summary>The user of a valid access token; null with a reason when it is unknown or expired.</summary>
    internal (string? UserId, string? Error) Authenticate(string? bearer)
    {
        if (bearer is null || !_accessTokens.TryGetValue(bearer, out var grant))
        {
            return (null, "Invalid access token");
        }

        return grant.ExpiresAt <= Time.GetUtcNow() ? (null, "The access token expired") : (grant.UserId, null);
    }

    internal static DateTimeOffset Truncate(DateTimeOffset t) =>
        DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

    private EmuTrack PickTrack(Random rng, EmuUser user)
    {
        // Each user favours a slice of the catalog, so top lists and stats look like a person's.
        var tracks = Catalog.Tracks;
        var favourite = user.Seed % tracks.Count;
        var index = rng.Next(4) != 0
            ? (favourite + rng.Next(60)) % tracks.Count
            : rng.Next(tracks.Count);
        return tracks[(index + tracks.Count) % tracks.Count];
    }

    private static int StableSeed(string id) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(id)), 0) & int.MaxValue;

    private static string RandomToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed record RequestRecord(DateTimeOffset At, string Endpoint, string? UserId);

internal sealed record CodeGrant(string UserId, string ClientId, string RedirectUri, string? Challenge, string? Method, string Scope, DateTimeOffset ExpiresAt);

internal sealed record RefreshGrant(string UserId, string ClientId, string Scope, bool Revoked, int Uses);

internal sealed record AccessGrant(string UserId, string Scope, DateTimeOffset ExpiresAt);
