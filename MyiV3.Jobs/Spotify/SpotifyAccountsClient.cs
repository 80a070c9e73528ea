using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace MyiV3.Jobs.Spotify;

/// <summary>accounts.spotify.com: the authorize URL, code exchange (PKCE) and refresh.</summary>
public sealed class SpotifyAccountsClient(HttpClient http, IOptions<SpotifyOptions> options, TimeProvider time)
{
    private readonly SpotifyOptions _o = options.Value;

    public Uri AuthorizeUrl(string redirectUri, string state, string codeChallenge) =>
        new(QueryHelpers.AddQueryString($"{_o.AccountsBaseUrl.TrimEnd('/')}/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = _o.ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri,
            ["state"] = state,
            ["scope"] = _o.Scopes,
            ["code_challenge_method"] = "S256",
            ["code_challenge"] = codeChallenge,
        }));

    public Task<SpotifyTokenResponse> ExchangeCodeAsync(string code, string redirectUri, string codeVerifier, CancellationToken ct) =>
        PostAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = codeVerifier,
        }, ct);

    public Task<SpotifyTokenResponse> RefreshAsync(string refreshToken, CancellationToken ct) =>
        PostAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
        }, ct);

    private async Task<SpotifyTokenResponse> PostAsync(Dictionary<string, string> form, CancellationToken ct)
    {
        if (!_o.IsConfigured)
        {
            throw new SpotifyException(SpotifyErrorKind.BadRequest, "Spotify:ClientId is not configured");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_o.AccountsBaseUrl.TrimEnd('/')}/api/token");
        if (string.IsNullOrEmpty(_o.ClientSecret))
        {
            form["client_id"] = _o.ClientId!;
        }
        else
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(_o.ClientId!)}:{Uri.EscapeDataString(_o.ClientSecret)}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        request.Content = new FormUrlEncodedContent(form);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException)
        {
            throw new SpotifyException(SpotifyErrorKind.Transient, "Spotify accounts unreachable", inner: ex);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadFromJsonAsync<SpotifyTokenResponse>(SpotifyJson.Options, ct)
                    ?? throw new SpotifyException(SpotifyErrorKind.Transient, "Empty token response");
            }

            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
            {
                var retryAt = response.Headers.RetryAfter switch
                {
                    { Delta: { } d } => time.GetUtcNow() + d,
                    { Date: { } date } => date,
                    _ => (DateTimeOffset?)null,
                };
                throw new SpotifyException(status == 429 ? SpotifyErrorKind.RateLimited : SpotifyErrorKind.Transient,
                    $"Spotify accounts answered {status}", status, retryAt);
            }

            var error = await ReadErrorAsync(response, ct);
            // Never include the grant in the message: it may be logged.
            throw error == "invalid_grant"
                ? new SpotifyException(SpotifyErrorKind.InvalidGrant, "Spotify refused the grant (invalid_grant)", status)
                : new SpotifyException(status is 401 or 403 ? SpotifyErrorKind.Unauthorized : SpotifyErrorKind.BadRequest,
                    $"Spotify accounts answered {status} ({error})", status);
        }
    }

    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            return doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
