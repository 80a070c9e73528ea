using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace MyiV3.Jobs.Spotify;

/// <summary>
/// api.spotify.com for one user at a time. Retries, Retry-After, the circuit breaker and the
/// global rate limit live in the HttpClient's resilience pipeline; what comes out of it is
/// classified here into a <see cref="SpotifyException"/>.
/// </summary>
public sealed class SpotifyApiClient(HttpClient http, ISpotifyTokenManager tokens, IOptions<SpotifyOptions> options, TimeProvider time)
{
    private readonly string _api = options.Value.ApiBaseUrl.TrimEnd('/');

    /// <summary>The profile of whoever owns <paramref name="accessToken"/> (used at sign-in, before a user row exists).</summary>
    public async Task<SpotifyUser> GetMeAsync(string accessToken, CancellationToken ct) =>
        (await SendWithTokenAsync<SpotifyUser>(accessToken, "/v1/me", ct)).Value!;

    /// <summary>Plays after <paramref name="afterMs"/> (exclusive), or the latest when null; newest first.</summary>
    public async Task<SpotifyRecentlyPlayed> GetRecentlyPlayedAsync(long userId, long? afterMs, int limit, CancellationToken ct)
    {
        var query = afterMs is { } a
            ? $"/v1/me/player/recently-played?limit={limit}&after={a.ToString(CultureInfo.InvariantCulture)}"
            : $"/v1/me/player/recently-played?limit={limit}";
        return (await SendAsync<SpotifyRecentlyPlayed>(userId, query, ct))!;
    }

    public async Task<SpotifyPaging<SpotifyTrack>> GetTopTracksAsync(long userId, SpotifyTerm term, CancellationToken ct) =>
        (await SendAsync<SpotifyPaging<SpotifyTrack>>(userId, $"/v1/me/top/tracks?time_range={TermName(term)}&limit=50", ct))!;

    public async Task<SpotifyPaging<SpotifyArtist>> GetTopArtistsAsync(long userId, SpotifyTerm term, CancellationToken ct) =>
        (await SendAsync<SpotifyPaging<SpotifyArtist>>(userId, $"/v1/me/top/artists?time_range={TermName(term)}&limit=50", ct))!;

    // Development-mode apps lost the ?ids= batch endpoints: one item per request.
    public Task<SpotifyTrack?> GetTrackAsync(long userId, string id, CancellationToken ct) =>
        SendAsync<SpotifyTrack>(userId, $"/v1/tracks/{Uri.EscapeDataString(id)}", ct, notFoundIsNull: true);

    public Task<SpotifyArtist?> GetArtistAsync(long userId, string id, CancellationToken ct) =>
        SendAsync<SpotifyArtist>(userId, $"/v1/artists/{Uri.EscapeDataString(id)}", ct, notFoundIsNull: true);

    public Task<SpotifySimpleAlbum?> GetAlbumAsync(long userId, string id, CancellationToken ct) =>
        SendAsync<SpotifySimpleAlbum>(userId, $"/v1/albums/{Uri.EscapeDataString(id)}", ct, notFoundIsNull: true);

    public static string TermName(SpotifyTerm term) => term switch
    {
        SpotifyTerm.ShortTerm => "short_term",
        SpotifyTerm.MediumTerm => "medium_term",
        _ => "long_term",
    };

    private async Task<T?> SendAsync<T>(long userId, string path, CancellationToken ct, bool notFoundIsNull = false)
        where T : class
    {
        var token = await tokens.GetAccessTokenAsync(userId, ct);
        var result = await SendWithTokenAsync<T>(token, path, ct, notFoundIsNull);
        if (!result.Unauthorized)
        {
            return result.Value;
        }

        // The cached token was refused (revoked or expired early): one fresh token, one more try.
        tokens.Forget(userId);
        token = await tokens.GetAccessTokenAsync(userId, ct);
        result = await SendWithTokenAsync<T>(token, path, ct, notFoundIsNull);
        if (!result.Unauthorized)
        {
            return result.Value;
        }

        tokens.Forget(userId);
        await tokens.RecordAuthFailureAsync(userId, ct);
        throw new SpotifyException(SpotifyErrorKind.Unauthorized, "Spotify refused a freshly refreshed access token", 401);
    }

    private async Task<(T? Value, bool Unauthorized)> SendWithTokenAsync<T>(string token, string path, CancellationToken ct, bool notFoundIsNull = false)
        where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _api + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (BrokenCircuitException ex)
        {
            throw new SpotifyException(SpotifyErrorKind.Transient, "Spotify circuit is open", retryAt: time.GetUtcNow() + options.Value.BreakerBreakDuration, inner: ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or RateLimiterRejectedException)
        {
            throw new SpotifyException(SpotifyErrorKind.Transient, $"Spotify request failed: {ex.GetType().Name}", inner: ex);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new SpotifyException(SpotifyErrorKind.Transient, "Spotify request timed out", inner: ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return (await response.Content.ReadFromJsonAsync<T>(SpotifyJson.Options, ct), false);
            }

            switch (response.StatusCode)
            {
                case HttpStatusCode.Unauthorized:
                    return (null, true);
                case HttpStatusCode.NotFound when notFoundIsNull:
                    return (null, false);
                case HttpStatusCode.NotFound:
                    throw new SpotifyException(SpotifyErrorKind.NotFound, $"Spotify: {path.Split('?')[0]} not found", status);
                case HttpStatusCode.Forbidden:
                    throw new SpotifyException(SpotifyErrorKind.Forbidden, "Spotify answered 403", status);
                case HttpStatusCode.TooManyRequests:
                    // Only a Retry-After above the cap gets here; the pipeline waited out shorter ones.
                    var wait = response.Headers.RetryAfter?.Delta
                        ?? (response.Headers.RetryAfter?.Date is { } date ? date - time.GetUtcNow() : TimeSpan.FromMinutes(1));
                    throw new SpotifyException(SpotifyErrorKind.RateLimited, $"Spotify rate limit: retry after {wait}", status, time.GetUtcNow() + wait);
                default:
                    throw new SpotifyException(status >= 500 ? SpotifyErrorKind.Transient : SpotifyErrorKind.BadRequest,
                        $"Spotify answered {status}", status);
            }
        }
    }
}
